using System.Text.Json;
using RecoveryStudy.Protocol;
using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.Protocol;

public sealed class ProtocolDocsTests
{
    private static readonly string Root = Directory.GetParent(Seeds.Folder)!.FullName;

    [Fact]
    public void Full_example_in_the_protocol_docs_validates()
    {
        var markdown = File.ReadAllText(Path.Combine(Root, "docs", "protocol.md"));
        var start = markdown.IndexOf("```json\n{\n  \"$schema\"", StringComparison.Ordinal) + "```json\n".Length;
        var end = markdown.IndexOf("\n```", start, StringComparison.Ordinal);
        var result = ProtocolValidator.Validate(markdown[start..end]);
        Assert.Empty(result.Problems.Select(p => p.ToString()));
        Assert.Equal("example-course", result.Protocol!.Study.Code);
    }

    [Fact]
    public void Schema_file_is_json_and_names_every_top_level_part()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(Seeds.Folder, "protocol.schema.json")));
        var properties = schema.RootElement.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["$schema", "format", "study", "roles", "anchors", "cohorts", "instruments", "waves", "consent"], properties);
    }
}
