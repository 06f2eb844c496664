using RecoveryStudy.Data;
using RecoveryStudy.Instruments;
using RecoveryStudy.Survey;

namespace RecoveryStudy.Web.Demo;

/// <summary>
/// Made-up answers for the demo: plausible values per item type that respect show-if
/// conditions, with each person's WHO-5 level drifting upwards over time so that the
/// within-subject comparison has something to show.
/// </summary>
internal static class DemoAnswers
{
    private static readonly Dictionary<string, string> Remarks = new()
    {
        ["en"] = "More practical exercises, please.",
        ["pl"] = "Więcej ćwiczeń praktycznych.",
        ["da"] = "Mere tid til praksis.",
    };

    public static Response Respond(InstrumentVersion version, long invitationId, string language, double wellBeing, Random random, DateTime at)
    {
        var answers = new List<Answer>();
        var given = new Dictionary<string, Answer>();
        foreach (var item in version.Items.OrderBy(i => i.Position).Where(i => i.Type != ItemType.Section))
        {
            if (item.ShowIfItemCode is { } target && !Shown(given.GetValueOrDefault(target), item.ShowIfCodes ?? []))
            {
                continue;
            }
            var answer = new Answer { ItemId = item.Id, AnsweredAt = at };
            switch (item.Type)
            {
                case ItemType.Rating:
                    var (low, high) = ((int)(item.Min ?? 1), (int)(item.Max ?? 5));
                    var centre = item.Code.StartsWith("who5_", StringComparison.Ordinal) ? wellBeing : high - (high - low) * 0.3;
                    answer.NumericValue = Math.Clamp((int)Math.Round(centre + random.NextDouble() * 2 - 1), low, high);
                    break;
                case ItemType.YesNo:
                    answer.NumericValue = random.NextDouble() < 0.65 ? AnswerRules.YesCode : AnswerRules.NoCode;
                    break;
                case ItemType.SingleChoice:
                    var options = item.Options.OrderBy(o => o.Position).ToList();
                    // Earlier options are likelier, as in most surveys' answer distributions.
                    answer.NumericValue = options[Math.Min(options.Count - 1, (int)(random.NextDouble() * random.NextDouble() * options.Count))].Code;
                    break;
                case ItemType.MultipleChoice:
                    answer.Codes = [.. item.Options.Where(_ => random.NextDouble() < 0.35).Select(o => o.Code).DefaultIfEmpty(item.Options[0].Code)];
                    break;
                case ItemType.Number:
                    answer.NumericValue = random.Next((int)(item.Min ?? 0), (int)Math.Min(item.Max ?? 40, 40) + 1);
                    break;
                case ItemType.Date:
                    answer.DateValue = DateOnly.FromDateTime(at).AddDays(-random.Next(30, 300));
                    break;
                default:
                    if (random.NextDouble() > 0.25)
                    {
                        continue;
                    }
                    answer.TextValue = Remarks.GetValueOrDefault(language, Remarks["en"]);
                    break;
            }
            answers.Add(answer);
            given[item.Code] = answer;
        }
        return new Response
        {
            InvitationId = invitationId,
            InstrumentVersionId = version.Id,
            Status = ResponseStatus.Complete,
            StartedAt = at.AddMinutes(-12),
            UpdatedAt = at,
            CompletedAt = at,
            Answers = answers,
        };
    }

    private static bool Shown(Answer? answer, int[] codes) =>
        answer is not null && (answer.NumericValue is { } value && codes.Contains((int)value) || answer.Codes?.Intersect(codes).Any() == true);
}
