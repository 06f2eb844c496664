using RecoveryStudy.Data;
using RecoveryStudy.Instruments;

namespace RecoveryStudy.Survey;

/// <summary>
/// One screen of the participant pages: questions of one instrument version, under an optional
/// section heading. <see cref="Number"/> counts from 1 across the whole wave.
/// </summary>
public sealed record SurveyPage(int Number, InstrumentVersion Version, bool FirstOfInstrument, Item? Section, IReadOnlyList<Item> Questions);

/// <summary>
/// Cuts a wave's instrument versions into pages: each instrument starts a page, each `section`
/// item starts a page, and an item whose show-if condition looks at a question on the page being
/// built also starts one. The last rule is what lets show-if work without JavaScript: whenever a
/// page is drawn, every condition on it refers to an answer that is already saved.
/// </summary>
public static class SurveyPlan
{
    public static IReadOnlyList<SurveyPage> Build(IEnumerable<InstrumentVersion> versions)
    {
        var pages = new List<SurveyPage>();
        foreach (var version in versions)
        {
            var first = true;
            Item? section = null;
            var questions = new List<Item>();

            void Flush(bool evenIfEmpty)
            {
                if (questions.Count == 0 && !evenIfEmpty)
                {
                    return;
                }
                pages.Add(new SurveyPage(pages.Count + 1, version, first, section, questions.ToArray()));
                first = false;
                questions.Clear();
            }

            foreach (var item in version.Items.OrderBy(i => i.Position))
            {
                if (item.Type == ItemType.Section)
                {
                    Flush(evenIfEmpty: section is not null);
                    section = item;
                }
                else
                {
                    if (item.ShowIfItemCode is { } controller && questions.Exists(q => q.Code == controller))
                    {
                        Flush(evenIfEmpty: false);
                    }
                    questions.Add(item);
                }
            }
            Flush(evenIfEmpty: section is not null);
        }
        return pages;
    }
}
