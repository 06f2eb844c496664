using System.Text.Json;
using System.Text.Json.Nodes;

namespace RecoveryStudy.Protocol;

/// <summary>Names the top-level protocol properties in which two definitions differ, for the import's change list.</summary>
internal static class Differences
{
    public static List<string> Between<T>(T before, T after)
    {
        var a = JsonSerializer.SerializeToNode(before, ProtocolJson.Options)!.AsObject();
        var b = JsonSerializer.SerializeToNode(after, ProtocolJson.Options)!.AsObject();
        return [.. a.Select(p => p.Key).Union(b.Select(p => p.Key))
            .Where(name => !JsonNode.DeepEquals(a[name], b[name]))];
    }
}
