namespace RecoveryStudy.Data;

/// <summary>A text in several languages, keyed by language code ("en", "pl", "da").</summary>
public sealed class LocalizedText : Dictionary<string, string>
{
    public LocalizedText() : base(StringComparer.Ordinal) { }

    public LocalizedText(IDictionary<string, string> values) : base(values, StringComparer.Ordinal) { }

    /// <summary>The text in the language asked for, else in the fallback language, else any.</summary>
    public string For(string language, string fallbackLanguage = "en") =>
        TryGetValue(language, out var text) ? text
        : TryGetValue(fallbackLanguage, out var fallback) ? fallback
        : Values.FirstOrDefault() ?? "";
}
