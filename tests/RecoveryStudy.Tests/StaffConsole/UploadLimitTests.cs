using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Protocol;
using RecoveryStudy.Staff;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.StaffConsole;

/// <summary>A console upload over its form's limit gets a 413 page naming the limit, and changes nothing.</summary>
public sealed partial class UploadLimitTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task A_protocol_file_over_2_MB_gets_a_413_page_naming_the_limit_and_imports_nothing()
    {
        await using var db = database.CreateContext();
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Researcher);
        var studies = await db.Studies.CountAsync();
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var client = await StaffSession.SignInAsync(app, user.Email);

        var response = await UploadAsync(client, "/protocol/upload", "study.json", 3 * 1024 * 1024);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("at most 2 MB", html, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", html, StringComparison.Ordinal);
        Assert.Equal(studies, await db.Studies.CountAsync());
        // The page is the console's own, and the connection stays usable.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/protocol/upload", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task A_roster_over_10_MB_gets_a_413_page_naming_the_limit_and_enrolls_nobody()
    {
        await using var db = database.CreateContext();
        var code = "limit-" + Guid.NewGuid().ToString("N")[..8];
        var imported = await new ProtocolImporter(db, TimeProvider.System).ImportAsync(MiniProtocol.With(d => d["study"]!["code"] = code), Actor.Cli, CancellationToken.None);
        Assert.True(imported.Succeeded);
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Researcher);
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var client = await StaffSession.SignInAsync(app, user.Email);

        var response = await UploadAsync(client, $"/studies/{imported.StudyId}/enroll", "roster.csv", 11 * 1024 * 1024);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("at most 10 MB", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await db.Participants.CountAsync(p => p.StudyId == imported.StudyId));
    }

    /// <summary>Posts the page's form with a file of <paramref name="bytes"/> bytes, as a browser does (with Content-Length).</summary>
    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string path, string fileName, int bytes)
    {
        var page = await client.GetStringAsync(new Uri(path, UriKind.Relative));
        var token = WebUtility.HtmlDecode(AntiforgeryField().Match(page).Groups[1].Value);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__rs_af" },
            { new ByteArrayContent(new byte[bytes]), "file", fileName },
        };
        await form.LoadIntoBufferAsync();
        return await client.PostAsync(new Uri(path, UriKind.Relative), form);
    }

    [GeneratedRegex("name=\"__rs_af\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
