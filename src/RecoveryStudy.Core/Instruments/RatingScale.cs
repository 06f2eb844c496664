using System.Globalization;
using RecoveryStudy.Data;

namespace RecoveryStudy.Instruments;

/// <summary>One point of a scale: its code and, when the protocol labels it, its label.</summary>
public sealed record ScalePoint<TLabel>(int Code, TLabel? Label) where TLabel : class;

/// <summary>
/// The one notion of a rating scale: every whole number from <see cref="Min"/> to <see cref="Max"/>
/// is a valid answer, and options may label some points (often only the two ends). The survey,
/// the answer import, the distribution report, the codebook, R, SPSS, Stata and Parquet metadata
/// all ask this type which points exist, so a point without a label is never lost.
/// </summary>
public sealed record RatingScale(int Min, int Max)
{
    /// <summary>A scale of more than this many points is a protocol mistake; capping keeps pages drawable.</summary>
    public const int MaxPoints = 101;

    /// <summary>Top-2-box is reported for scales of at least this many points (on 2 or 3 points it is nearly everything).</summary>
    public const int TopTwoBoxMinPoints = 4;

    /// <summary>The scale of a rating item; null for other types or a rating without whole-number bounds.</summary>
    public static RatingScale? Of(string type, decimal? min, decimal? max)
    {
        if (type != ItemType.Rating || min is not { } low || max is not { } high || low != decimal.Truncate(low) || high != decimal.Truncate(high) || high < low)
        {
            return null;
        }
        return new RatingScale((int)low, (int)Math.Min(high, low + MaxPoints - 1));
    }

    public static RatingScale? Of(Item item) => Of(item.Type, item.Min, item.Max);

    public int Count => Max - Min + 1;

    /// <summary>Every point, lowest first.</summary>
    public IEnumerable<int> Points => Enumerable.Range(Min, Count);

    /// <summary>The two highest points, lowest first, for top-2-box; empty on scales too short for it.</summary>
    public IReadOnlyList<int> TopTwo => Count >= TopTwoBoxMinPoints ? [Max - 1, Max] : [];

    /// <summary>"1-6": how the codebook and reports name the range.</summary>
    public string Range => string.Create(CultureInfo.InvariantCulture, $"{Min}-{Max}");

    /// <summary>Whether a stored or imported value is a point of the scale (a whole number within the ends).</summary>
    public bool Contains(decimal value) => value == decimal.Truncate(value) && value >= Min && value <= Max;

    /// <summary>Every point with the label of the option that has its code, or null where none does.</summary>
    public IReadOnlyList<ScalePoint<TLabel>> Label<TLabel>(IEnumerable<(int Code, TLabel Label)> options) where TLabel : class
    {
        var labels = new Dictionary<int, TLabel>();
        foreach (var (code, label) in options)
        {
            labels.TryAdd(code, label);
        }
        return [.. Points.Select(p => new ScalePoint<TLabel>(p, labels.GetValueOrDefault(p)))];
    }
}

/// <summary>The codes of a yes/no item and their labels in the languages the platform speaks.</summary>
public static class YesNo
{
    public const int Yes = 1;
    public const int No = 0;

    private static readonly Dictionary<string, (string Yes, string No)> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        ["en"] = ("Yes", "No"),
        ["pl"] = ("Tak", "Nie"),
        ["da"] = ("Ja", "Nej"),
    };

    /// <summary>Yes first, then no, labelled in the language (English when the platform has no words for it).</summary>
    public static IReadOnlyList<(int Code, string Label)> Labels(string language)
    {
        var words = Words.GetValueOrDefault(language, Words["en"]);
        return [(Yes, words.Yes), (No, words.No)];
    }
}
