using Microsoft.Extensions.Localization;
using RecoveryStudy.Exports;
using RecoveryStudy.Statistics;

namespace RecoveryStudy.Web.Pages.Console.Data;

/// <summary>
/// The core names a missing value's reason in English (<see cref="MissingCode.Labels"/>, also the
/// codebook's value labels); a page shows it in the staff member's language through the key
/// Missing_ plus the code without its sign. A name the core adds later reads as itself.
/// </summary>
public static class MissingReasonText
{
    public static string MissingReason(this IStringLocalizer<ConsoleText> text, string englishName) =>
        MissingCode.Labels.FirstOrDefault(l => l.Label == englishName) is { } known
        && text["Missing_" + Math.Abs(known.Code).ToString(System.Globalization.CultureInfo.InvariantCulture)] is { ResourceNotFound: false } label
            ? label.Value
            : englishName;

    /// <summary>Why a participant has no pair in a comparison, from the reason's parts; the core's English text when it gave none.</summary>
    public static string LeftOutReason(this IStringLocalizer<ConsoleText> text, LeftOut leftOut, string from, string to) => leftOut switch
    {
        { MissingFrom: { } a, MissingTo: { } b } => text["Compare_NoValueAtEither", from, Missing(text, a), to, Missing(text, b)],
        { MissingFrom: { } a } => text["Compare_NoValueAt", from, Missing(text, a)],
        { MissingTo: { } b } => text["Compare_NoValueAt", to, Missing(text, b)],
        _ => leftOut.Reason,
    };

    private static string Missing(IStringLocalizer<ConsoleText> text, int code) =>
        MissingCode.Labels.Any(l => l.Code == code) ? MissingReason(text, MissingCode.Name(code)) : code.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
