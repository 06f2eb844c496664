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
    public const string UnsubscribeLink = "unsubscribe_link";
    public const string StudyTitle = "study_title";
    public static readonly string[] All = [Salutation, WaveTitle, Link, CloseDate, DaysLeft, UnsubscribeLink, StudyTitle];

    /// <summary>The names of the {placeholders} in a text, in order of appearance.</summary>
    public static IEnumerable<string> In(string text) => Pattern().Matches(text).Select(m => m.Groups[1].Value);

    [GeneratedRegex(@"\{([^{}\s]*)\}")]
    private static partial Regex Pattern();
}
