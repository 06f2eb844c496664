using RecoveryStudy.Instruments;

namespace RecoveryStudy.Web.Pages.Survey;

/// <summary>One question as drawn: the item, what the field holds (saved or just typed), and its error.</summary>
public sealed record QuestionView(Item Item, string Language, IReadOnlyList<string> Values, string? Error)
{
    public string FieldId => "q-" + Item.Code;
    public string ErrorId => "e-" + Item.Code;
    public string HelpId => "h-" + Item.Code;
    public string OptionId(int code) => FormattableString.Invariant($"q-{Item.Code}-{code}");
    public bool Has(int code) => Values.Contains(code.ToString(System.Globalization.CultureInfo.InvariantCulture));
    public string? HelpText => Item.Help.For(Language) is { Length: > 0 } help ? help : null;

    /// <summary>The ids a field's aria-describedby names: its help and, when there is one, its error.</summary>
    public string? DescribedBy => string.Join(' ', new[] { HelpText is null ? null : HelpId, Error is null ? null : ErrorId }.OfType<string>()) is { Length: > 0 } ids ? ids : null;
}
