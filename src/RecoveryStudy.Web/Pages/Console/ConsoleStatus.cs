using Microsoft.Extensions.Localization;
using RecoveryStudy.Data;

namespace RecoveryStudy.Web.Pages.Console;

/// <summary>
/// Status codes (participant, invitation, email, grid cell, a protocol change's effect on an email) are shown as words in the staff
/// member's language: key Status_ plus the code with spaces as underscores. The English words
/// are the codes themselves, so a code without a key still reads as before.
/// </summary>
public static class ConsoleStatus
{
    public static string Status(this IStringLocalizer<ConsoleText> text, string status) => Word(text, "Status_", status);

    /// <summary>A study's status has keys of its own: Polish says "aktywne badanie" but "aktywny uczestnik".</summary>
    public static string StudyStatus(this IStringLocalizer<ConsoleText> text, string status) => Word(text, "StudyStatus_", status);

    private static string Word(IStringLocalizer<ConsoleText> text, string prefix, string status)
    {
        var label = text[prefix + status.Replace(' ', '_')];
        return label.ResourceNotFound ? status.Replace('_', ' ') : label.Value;
    }

    /// <summary>An email's step: "invitation", "reminder 2", "last chance" in English.</summary>
    public static string Step(this IStringLocalizer<ConsoleText> text, string kind, int step) => kind switch
    {
        MessageKind.Invitation => text["Step_invitation"],
        MessageKind.Reminder => text["Step_reminder", step],
        MessageKind.LastChance => text["Step_last_chance"],
        _ => kind,
    };

    /// <summary>An email's step given as its English label ("reminder 2"), as the email preview has it.</summary>
    public static string Step(this IStringLocalizer<ConsoleText> text, string label) => label switch
    {
        "invitation" => text["Step_invitation"],
        "last chance" => text["Step_last_chance"],
        _ when label.StartsWith("reminder ", StringComparison.Ordinal) && int.TryParse(label["reminder ".Length..], out var step) => text["Step_reminder", step],
        _ => label,
    };

    /// <summary>A grid cell's text is its status, sometimes with a count after it ("reminded 2×").</summary>
    public static string Cell(this IStringLocalizer<ConsoleText> text, string status, string cellText) =>
        cellText.StartsWith(status, StringComparison.Ordinal) ? text.Status(status) + cellText[status.Length..] : cellText;
}
