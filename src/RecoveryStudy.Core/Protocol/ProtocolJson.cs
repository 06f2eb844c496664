using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RecoveryStudy.Protocol;

/// <summary>How protocol files are read and written: snake_case, indented, readable non-ASCII text.</summary>
public static class ProtocolJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        IndentSize = 2,
        // Polish and Danish letters stay readable in exported files instead of \u escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
        NumberHandling = JsonNumberHandling.Strict,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { LeaveOutQuestionnaireParts } },
    };

    /// <summary>An interview wave has no instruments, reminders or participant emails: its exported form leaves them out.</summary>
    private static void LeaveOutQuestionnaireParts(JsonTypeInfo type)
    {
        if (type.Type != typeof(WaveDefinition))
        {
            return;
        }
        foreach (var property in type.Properties.Where(p => p.Name is "instruments" or "reminders" or "emails"))
        {
            property.ShouldSerialize = (wave, _) => !((WaveDefinition)wave).IsInterview;
        }
    }

    public static string Serialize(ProtocolDocument protocol) => JsonSerializer.Serialize(protocol, Options) + "\n";

    public static ProtocolDocument Deserialize(string json) =>
        JsonSerializer.Deserialize<ProtocolDocument>(json, Options) ?? throw new JsonException("The document is empty.");
}
