using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using RecoveryStudy.Data;
using RecoveryStudy.Instruments;

namespace RecoveryStudy.Protocol;

/// <summary>Hand-written mapping between an instrument's protocol definition and its stored version.</summary>
internal static class InstrumentMapping
{
    private static readonly JsonSerializerOptions Compact = new(ProtocolJson.Options) { WriteIndented = false };

    /// <summary>SHA-256 of the definition's canonical JSON: equal hashes mean an unchanged instrument.</summary>
    public static string Hash(InstrumentDefinition definition) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(definition, Compact))));

    /// <summary>Writes the definition's content into a version (whose items and scores are empty).</summary>
    public static void Fill(InstrumentVersion version, InstrumentDefinition definition)
    {
        version.Title = new LocalizedText(definition.Title);
        version.Intro = new LocalizedText(definition.Intro ?? new LocalizedText());
        version.Source = definition.Source;
        version.Licence = definition.Licence;
        version.ContentHash = Hash(definition);
        version.Items = [.. definition.Items.Select((item, index) => new Item
        {
            Code = item.Code,
            Position = index + 1,
            Type = item.Type,
            Label = new LocalizedText(item.Label),
            Help = new LocalizedText(item.Help ?? new LocalizedText()),
            Required = item.Required,
            Min = item.Min,
            Max = item.Max,
            ShowIfItemCode = item.ShowIf?.Item,
            ShowIfCodes = item.ShowIf is null ? null : [.. item.ShowIf.Codes],
            Options = [.. (item.Options ?? []).Select((option, k) => new ItemOption { Code = option.Code, Position = k + 1, Label = new LocalizedText(option.Label) })],
        })];
        version.Scores = [.. (definition.Scores ?? []).Select(score => new Score
        {
            Code = score.Code,
            Label = new LocalizedText(score.Label),
            Method = score.Method,
            ItemCodes = [.. score.Items],
            ReverseItemCodes = [.. score.Reverse ?? []],
            // 0: no minimum was given; the protocol documents that every item is then needed.
            MinAnswered = score.MinAnswered ?? 0,
            Multiplier = score.Multiplier ?? 1m,
        })];
    }

    public static InstrumentDefinition ToDefinition(string code, InstrumentVersion version) => new()
    {
        Code = code,
        Title = version.Title,
        Intro = NullIfEmpty(version.Intro),
        Source = version.Source,
        Licence = version.Licence,
        Items = [.. version.Items.OrderBy(i => i.Position).Select(item => new ItemDefinition
        {
            Code = item.Code,
            Type = item.Type,
            Label = item.Label,
            Help = NullIfEmpty(item.Help),
            Required = item.Required,
            Min = Normalize(item.Min),
            Max = Normalize(item.Max),
            Options = item.Options.Count == 0 ? null : [.. item.Options.OrderBy(o => o.Position).Select(o => new OptionDefinition { Code = o.Code, Label = o.Label })],
            ShowIf = item.ShowIfItemCode is null ? null : new ShowIfDefinition { Item = item.ShowIfItemCode, Codes = [.. item.ShowIfCodes ?? []] },
        })],
        Scores = version.Scores.Count == 0 ? null : [.. version.Scores.OrderBy(s => s.Id).Select(score => new ScoreDefinition
        {
            Code = score.Code,
            Label = score.Label,
            Method = score.Method,
            Items = [.. score.ItemCodes],
            Reverse = score.ReverseItemCodes.Length == 0 ? null : [.. score.ReverseItemCodes],
            MinAnswered = score.MinAnswered == 0 ? null : score.MinAnswered,
            Multiplier = score.Multiplier == 1m ? null : Normalize(score.Multiplier),
        })],
    };

    public static LocalizedText? NullIfEmpty(LocalizedText text) => text.Count == 0 ? null : text;

    /// <summary>Drops trailing zeros the database adds (1.00 is written as 1), so exports read like the file.</summary>
    private static decimal? Normalize(decimal? value) => value / 1.000000000000000000000000000000000m;
}
