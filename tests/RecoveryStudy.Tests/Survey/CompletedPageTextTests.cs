using System.Globalization;
using System.Resources;
using RecoveryStudy.Web.Pages.Survey;

namespace RecoveryStudy.Tests.Survey;

/// <summary>The "already answered" sentence with its date as the page fills it (the date's long form, in the page's culture).</summary>
public sealed class CompletedPageTextTests
{
    private static readonly ResourceManager Texts = new(typeof(ParticipantText).FullName!, typeof(ParticipantText).Assembly);

    [Theory]
    [InlineData("pl-PL", "Twoje odpowiedzi zostały wysłane w piątek, 4 grudnia 2026.")]
    [InlineData("en-GB", "Your answers were submitted on Friday, 4 December 2026.")]
    [InlineData("da-DK", "Dine svar blev indsendt fredag den 4. december 2026.")]
    public void The_completed_sentence_reads_with_its_weekday_and_date(string culture, string start)
    {
        var info = CultureInfo.GetCultureInfo(culture);
        var date = new DateTime(2026, 12, 4, 10, 0, 0).ToString("D", info);

        var sentence = string.Format(info, Texts.GetString("CompletedBody", info)!, date);

        Assert.StartsWith(start, sentence);
    }
}
