using System.Globalization;
using System.Resources;
using RecoveryStudy.Web.Pages;
using RecoveryStudy.Web.Pages.Survey;

namespace RecoveryStudy.Tests.Survey;

/// <summary>
/// The "already answered" sentence with its moment as the page fills it: date and time in the
/// participant's zone, written with the language's own pattern, the zone named.
/// </summary>
public sealed class CompletedPageTextTests
{
    private static readonly ResourceManager Texts = new(typeof(ParticipantText).FullName!, typeof(ParticipantText).Assembly);

    [Theory]
    [InlineData("pl-PL", "Europe/Warsaw", "Twoje odpowiedzi zostały wysłane 4 grudnia 2026, o godz. 11:00 (Europe/Warsaw).")]
    [InlineData("en-GB", "Pacific/Auckland", "Your answers were submitted on 4 December 2026, 23:00 (Pacific/Auckland).")]
    [InlineData("da-DK", "Europe/Copenhagen", "Dine svar blev indsendt den 4. december 2026 kl. 11.00 (Europe/Copenhagen).")]
    public void The_completed_sentence_reads_with_its_local_date_time_and_zone(string culture, string zone, string start)
    {
        var info = CultureInfo.GetCultureInfo(culture);
        var before = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = info;
        try
        {
            var moment = ZonedTime.In(zone).Long(new DateTime(2026, 12, 4, 10, 0, 0, DateTimeKind.Utc), Texts.GetString("DateTimePattern", info)!);

            var sentence = string.Format(info, Texts.GetString("CompletedBody", info)!, moment);

            Assert.StartsWith(start, sentence);
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }
}
