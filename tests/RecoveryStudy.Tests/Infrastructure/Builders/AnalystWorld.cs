using RecoveryStudy.Data;
using RecoveryStudy.Instruments;
using static RecoveryStudy.Tests.Infrastructure.Builders.AnalystWorldBuilder;

namespace RecoveryStudy.Tests.Infrastructure.Builders;

/// <summary>
/// The study most analyst tests read: three waves, two instruments (one with two versions), six
/// participants whose invitations cover every state and every missing-value reason.
/// </summary>
public static class AnalystWorld
{
    public static readonly string[] Emails = ["anna.kowalska@example.org", "bjorn.madsen@example.org", "cecilia.nowak@example.org", "dorota.lis@example.org", "erik.holm@example.org", "filip.zajac@example.org"];
    public static readonly string[] Names = ["Anna Kowalska", "Bjorn Madsen", "Cecilia Nowak", "Dorota Lis", "Erik Holm", "Filip Zajac"];

    public static async Task<AnalystWorldBuilder> CreateAsync(StudyDbContext db, string? code = null)
    {
        var w = new AnalystWorldBuilder(db);
        await w.StudyAsync(code ?? "an" + Guid.NewGuid().ToString("N")[..8], "baseline", "post", "followup");
        await w.CohortAsync("c8");
        await w.CohortAsync("c9");

        string[] who = ["At no time", "Some of the time", "Less than half of the time", "More than half of the time", "Most of the time", "All of the time"];
        await w.InstrumentAsync("wellbeing", 1,
            [
                Plain(ItemType.Section, "intro", "Over the last two weeks"),
                Rating("wb1", "I have felt cheerful", 0, 5, who), Rating("wb2", "I have felt calm", 0, 5, who), Rating("wb3", "I have felt active", 0, 5, who),
                Rating("wb4", "I woke up fresh", 0, 5, who), Rating("wb5", "My life is interesting", 0, 5, who),
                Choice(ItemType.SingleChoice, "mood", "Mood today", (1, "Bad"), (2, "Fair"), (3, "Good")),
                Choice(ItemType.YesNo, "worked", "Have you worked as a peer?", (1, "Yes"), (0, "No")),
                Plain(ItemType.ShortText, "job", "Which job?", "worked", 1),
                Choice(ItemType.MultipleChoice, "helpful", "What helped?", (1, "Lectures"), (2, "Peer talks"), (3, "Practice")),
                Plain(ItemType.LongText, "comment", "Anything else?"),
                Plain(ItemType.Date, "started", "When did you start?"),
            ],
            [new Score { Code = "who5_pct", Label = new() { ["en"] = "WHO-5 percentage" }, Method = ScoreMethod.Sum, ItemCodes = ["wb1", "wb2", "wb3", "wb4", "wb5"], MinAnswered = 5, Multiplier = 4 }],
            "baseline", "post", "followup");
        string[] six = ["Strongly disagree", "Disagree", "Slightly disagree", "Slightly agree", "Agree", "Strongly agree"];
        Item[] Hope(int n) => [.. Enumerable.Range(1, n).Select(i => Rating($"h{i}", $"Hope statement {i}", 1, 6, six))];
        await w.InstrumentAsync("hope", 1, Hope(4),
            [new Score { Code = "hope_mean", Label = new() { ["en"] = "Hope (mean)" }, Method = ScoreMethod.Mean, ItemCodes = ["h1", "h2", "h3", "h4"], ReverseItemCodes = ["h2"], MinAnswered = 3 }],
            "baseline", "followup");
        await w.InstrumentAsync("hope", 2, Hope(5),
            [new Score { Code = "hope_mean", Label = new() { ["en"] = "Hope (mean)" }, Method = ScoreMethod.Mean, ItemCodes = ["h1", "h2", "h3", "h4", "h5"], ReverseItemCodes = ["h2"], MinAnswered = 3 }]);

        var p1 = await w.ParticipantAsync("P-0001", "trainee", "c8", Emails[0], Names[0]);
        var p2 = await w.ParticipantAsync("P-0002", "trainee", "c8", Emails[1], Names[1]);
        var p3 = await w.ParticipantAsync("P-0003", "peer_worker", "c9", Emails[2], Names[2]);
        var p4 = await w.ParticipantAsync("P-0004", "trainee", "c9", Emails[3], Names[3], withdrawn: true);
        var p5 = await w.ParticipantAsync("P-0005", "trainee", "c8", Emails[4], Names[4]);
        var p6 = await w.ParticipantAsync("P-0006", "peer_worker", null, Emails[5], Names[5]);

        const string done = ResponseStatus.Complete;
        var i = await w.InviteAsync(p1, "baseline", InvitationStatus.Completed, completedAfterDays: 1);
        await w.RespondAsync(i, "wellbeing", 1, done, ("wb1", 3), ("wb2", 4), ("wb3", 2), ("wb4", 5), ("wb5", 3), ("mood", 3), ("worked", 1),
            ("job", "peer mentor"), ("helpful", new[] { 1, 3 }), ("comment", "Very useful, \"truly\"\nthanks"), ("started", new DateOnly(2026, 2, 1)));
        await w.RespondAsync(i, "hope", 1, done, ("h1", 4), ("h2", 2), ("h3", 5), ("h4", 6));
        i = await w.InviteAsync(p1, "post", InvitationStatus.Completed);
        await w.RespondAsync(i, "wellbeing", 1, done, ("wb1", 4), ("wb2", 4), ("wb3", 4), ("wb4", 4), ("wb5", 4), ("mood", 2), ("worked", 0), ("helpful", new[] { 2 }));
        i = await w.InviteAsync(p1, "followup", InvitationStatus.Completed);
        await w.RespondAsync(i, "wellbeing", 1, done, ("wb1", 5), ("wb2", 5), ("wb3", 4), ("wb4", 4), ("wb5", 5));
        await w.RespondAsync(i, "hope", 2, done, ("h1", 5), ("h2", 1), ("h3", 6), ("h4", 6), ("h5", 5));

        i = await w.InviteAsync(p2, "baseline", InvitationStatus.Completed, reminders: 1, completedAfterDays: 4);
        await w.RespondAsync(i, "wellbeing", 1, done, ("wb1", 2), ("wb2", 2), ("wb4", 3), ("wb5", 1), ("mood", 1), ("worked", 0));
        await w.RespondAsync(i, "hope", 1, done, ("h1", 3), ("h2", 5), ("h4", 2));
        await w.InviteAsync(p2, "post", InvitationStatus.Expired, reminders: 3);
        i = await w.InviteAsync(p2, "followup", InvitationStatus.InProgress, reminders: 1);
        await w.RespondAsync(i, "wellbeing", 1, ResponseStatus.InProgress, ("wb1", 1));

        i = await w.InviteAsync(p3, "baseline", InvitationStatus.Completed, reminders: 2, completedAfterDays: 8);
        await w.RespondAsync(i, "wellbeing", 1, done, ("wb1", 1), ("wb2", 1), ("wb3", 1), ("wb4", 1), ("wb5", 1), ("mood", 2), ("worked", 1));
        await w.InviteAsync(p3, "followup", InvitationStatus.Missed);

        i = await w.InviteAsync(p4, "baseline", InvitationStatus.Completed, completedAfterDays: 1);
        await w.RespondAsync(i, "wellbeing", 1, done, ("wb1", 0), ("wb2", 0), ("wb3", 1), ("wb4", 1), ("wb5", 0));
        await w.InviteAsync(p4, "post", InvitationStatus.Withdrawn);

        i = await w.InviteAsync(p5, "baseline", InvitationStatus.Completed);
        // Answers from an earlier tool: no email went out for them.
        i.SentAt = null;
        db.Messages.RemoveRange(db.Messages.Where(m => m.InvitationId == i.Id));
        await db.SaveChangesAsync();
        await w.RespondAsync(i, "wellbeing", 1, done, ("wb1", 2), ("wb2", 3), ("wb3", 3), ("wb4", 3), ("wb5", 2));

        await w.InviteAsync(p6, "baseline", InvitationStatus.Undeliverable);
        return w;
    }
}
