using System.Text.RegularExpressions;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Survey;

/// <summary>
/// The participant pages leave out Razor's default tag helpers for head, body and "~/" paths (the
/// participant _ViewImports): the stylesheet's "~/" must still be resolved and versioned by the link
/// tag helper, so a phone fetches a changed stylesheet instead of keeping its cached one.
/// </summary>
public sealed partial class StylesheetLinkTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(database.ConnectionString);

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task A_question_page_links_its_stylesheet_by_a_resolved_and_versioned_address()
    {
        await using var db = database.CreateContext();
        var world = await SurveyWorld.CreateAsync(db);
        using var client = await SurveyHttp.OpenAsync(app, world);

        var html = await client.Http.GetStringAsync(new Uri("/survey/page/1", UriKind.Relative));

        var link = StylesheetLink().Match(html);
        Assert.True(link.Success, "the page has no stylesheet link");
        Assert.StartsWith("/css/participant.css?v=", link.Groups["href"].Value, StringComparison.Ordinal);
        Assert.DoesNotContain("~/", html, StringComparison.Ordinal);
    }

    [GeneratedRegex("<link rel=\"stylesheet\" href=\"(?<href>[^\"]+)\"")]
    private static partial Regex StylesheetLink();
}
