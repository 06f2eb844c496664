using System.Text.Json;

namespace RecoveryStudy.Protocol;

/// <summary>
/// Checks a protocol file and reports every problem at once: malformed JSON with its line and
/// column; otherwise the structure (types, ranges, required and unknown properties, languages)
/// and the cross-references between roles, anchors, instruments, items and waves.
/// </summary>
public static class ProtocolValidator
{
    public static ProtocolValidation Validate(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            var line = (e.LineNumber ?? 0) + 1;
            var column = (e.BytePositionInLine ?? 0) + 1;
            return new([new ProtocolProblem("$", $"not valid JSON at line {line}, column {column}: {PlainReason(e)}")], null);
        }

        using (document)
        {
            var problems = new List<ProtocolProblem>();
            var checks = new JsonChecks(problems);
            StudyStructure.Check(document.RootElement, checks);
            InstrumentStructure.Check(document.RootElement, checks);
            WaveStructure.Check(document.RootElement, checks);
            ConsentStructure.Check(document.RootElement, checks);

            var protocol = TryRead(json);
            if (protocol is null)
            {
                return new(Distinct(problems), null);
            }
            // Cross-references are checked even when the structure has problems, so that one run
            // lists everything; codes left empty by a structural problem are skipped there.
            StudyRules.Check(protocol, checks);
            InstrumentRules.Check(protocol, checks);
            WaveRules.Check(protocol, checks);
            ConsentRules.Check(protocol, checks);
            var all = Distinct(problems);
            return new(all, all.Count == 0 ? protocol : null);
        }
    }

    private static ProtocolDocument? TryRead(string json)
    {
        try
        {
            return ProtocolJson.Deserialize(json);
        }
        catch (JsonException)
        {
            return null;
        }
        catch (FormatException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static List<ProtocolProblem> Distinct(List<ProtocolProblem> problems) => [.. problems.Distinct()];

    /// <summary>The parser's reason without its own position suffix (given as line and column already).</summary>
    private static string PlainReason(JsonException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.', ' ');
    }
}
