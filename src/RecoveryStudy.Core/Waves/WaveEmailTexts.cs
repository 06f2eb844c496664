using RecoveryStudy.Data;

namespace RecoveryStudy.Waves;

/// <summary>
/// The email texts of a wave per language. Bodies are plain text with placeholders such as
/// {salutation}, {wave_title}, {link}, {close_date}, {days_left}, {days_left_text}, {duration} and
/// {unsubscribe_link} (the list: <see cref="Protocol.EmailPlaceholders"/>), filled at send time.
/// </summary>
public sealed class WaveEmailTexts
{
    public EmailText Invitation { get; set; } = new();

    /// <summary>One text per reminder step; a step past the end uses the last one.</summary>
    public List<EmailText> Reminders { get; set; } = [];
    public EmailText? LastChance { get; set; }
}

/// <summary>Subject and body of one email, each per language.</summary>
public sealed class EmailText
{
    public LocalizedText Subject { get; set; } = new();
    public LocalizedText Body { get; set; } = new();
}
