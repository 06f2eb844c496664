using Microsoft.Extensions.Localization;
using RecoveryStudy.Exports;

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
}
