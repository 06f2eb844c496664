using System.Text.RegularExpressions;

namespace RecoveryStudy.Protocol;

/// <summary>The placeholders a wave's email subject and body may hold; the mailer fills them at send time.</summary>
public static partial class EmailPlaceholders
{
    public const string Salutation = "salutation";
    public const string WaveTitle = "wave_title";
    public const string Link = "link";
    public const string CloseDate = "close_date";
    public const string DaysLeft = "days_left";

    /// <summary>The days left as words in the participant's language, plural and last day included ("6 days left").</summary>
    public const string DaysLeftText = "days_left_text";

    /// <summary>How long the wave's questionnaire takes, from its <c>estimated_minutes</c> ("about 5 minutes").</summary>
    public const string Duration = "duration";
    public const string UnsubscribeLink = "unsubscribe_link";
    public const string StudyTitle = "study_title";
    public static readonly string[] All = [Salutation, WaveTitle, Link, CloseDate, DaysLeft, DaysLeftText, Duration, UnsubscribeLink, StudyTitle];

    /// <summary>The names of the {placeholders} in a text, in order of appearance.</summary>
    public static IEnumerable<string> In(string text) => Pattern().Matches(text).Select(m => m.Groups[1].Value);

    [GeneratedRegex(@"\{([^{}\s]*)\}")]
    private static partial Regex Pattern();
}
