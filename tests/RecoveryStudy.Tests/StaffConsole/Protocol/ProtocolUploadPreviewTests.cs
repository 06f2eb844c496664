using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Protocol;
using RecoveryStudy.Staff;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.StaffConsole.Protocol;

/// <summary>
/// The console's protocol upload shows what the file would change (the CLI's dry run) and stores
/// nothing; applying imports exactly that, only against the version it was previewed on, only
/// for researchers, only with the form's anti-forgery token.
/// </summary>
public sealed partial class ProtocolUploadPreviewTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task A_change_to_a_running_study_is_previewed_with_its_moved_reminders_and_stored_only_when_applied()
    {
        await using var db = database.CreateContext();
        var code = "preview-" + Guid.NewGuid().ToString("N")[..8];
        var imported = await new ProtocolImporter(db, TimeProvider.System).ImportAsync(MiniProtocol.With(d => d["study"]!["code"] = code), Actor.Cli, CancellationToken.None);
        Assert.True(imported.Succeeded);
        var study = await db.Studies.SingleAsync(s => s.Id == imported.StudyId);
        // Course start far ahead: wave one (a week before it) is planned with its reminders 3 and 7 days after the invitation.
        await new StudyBuilder(db).ParticipantAsync(study, "P-1", DateOnly.FromDateTime(DateTime.UtcNow),
            new Dictionary<string, DateOnly> { ["course_start"] = new(2030, 3, 4), ["course_end"] = new(2030, 6, 28) }, timeZone: "Europe/Copenhagen");
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Researcher);
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var client = await StaffSession.SignInAsync(app, user.Email);
        var changed = MiniProtocol.With(d =>
        {
            d["study"]!["code"] = code;
            MiniProtocol.Wave(d, 0)["reminders"]!["days"] = new System.Text.Json.Nodes.JsonArray(2, 7);
        });

        var preview = await PostFileAsync(client, changed);

        Assert.Contains("id=\"preview\"", preview, StringComparison.Ordinal);
        Assert.Contains("now at protocol version 1: the file would become version 2", preview, StringComparison.Ordinal);
        var rows = Rows().Matches(preview[preview.IndexOf("id=\"email-changes\"", StringComparison.Ordinal)..]).Select(m => Text(m.Value)).ToList();
        // Reminder 1 moves from day 3 to day 2 after the invitation (25 Feb 2030, 09:00 in Copenhagen, the study's zone); nothing else changes.
        Assert.Equal([$"P-1 | {Wave0(changed)} | reminder 1 | moved | 2030-02-28 09:00 (Europe/Copenhagen) | 2030-02-27 09:00 (Europe/Copenhagen) |"], rows);
        Assert.Equal(1, await db.ProtocolVersions.CountAsync(v => v.StudyId == study.Id));

        var applied = await ApplyAsync(client, preview);
        Assert.Contains("protocol version 2 is current", applied, StringComparison.Ordinal);
        await using (var check = database.CreateContext())
        {
            var wave = await check.Waves.AsNoTracking().Where(w => w.StudyId == study.Id).OrderBy(w => w.Position).FirstAsync();
            Assert.Equal(new[] { 2, 7 }, wave.ReminderDays);
        }

        // The same preview applied again is stale: version 2 is current now, the preview was made against 1.
        var stale = await ApplyAsync(client, preview);
        Assert.Contains("changed since the preview (version 2 is current now", WebUtility.HtmlDecode(stale), StringComparison.Ordinal);
        Assert.Equal(2, await db.ProtocolVersions.CountAsync(v => v.StudyId == study.Id));
    }

    [Fact]
    public async Task An_analyst_is_refused_and_an_apply_without_the_anti_forgery_token_stores_nothing()
    {
        await using var db = database.CreateContext();
        var code = "refused-" + Guid.NewGuid().ToString("N")[..8];
        var json = MiniProtocol.With(d => d["study"]!["code"] = code);
        var analyst = await StaffSession.CreateUserAsync(db, StaffRole.Analyst);
        var researcher = await StaffSession.CreateUserAsync(db, StaffRole.Researcher);
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var asAnalyst = await StaffSession.SignInAsync(app, analyst.Email);
        using var asResearcher = await StaffSession.SignInAsync(app, researcher.Email);

        Assert.Equal(HttpStatusCode.Forbidden, (await asAnalyst.GetAsync(new Uri("/protocol/upload", UriKind.Relative))).StatusCode);
        var fields = new Dictionary<string, string> { ["json"] = json, ["sha"] = Sha(json), ["basis"] = "0" };
        using (var form = new FormUrlEncodedContent(fields))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await asAnalyst.PostAsync(new Uri("/protocol/upload?handler=Apply", UriKind.Relative), form)).StatusCode);
        }
        using (var form = new FormUrlEncodedContent(fields))
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await asResearcher.PostAsync(new Uri("/protocol/upload?handler=Apply", UriKind.Relative), form)).StatusCode);
        }
        Assert.False(await db.Studies.AnyAsync(s => s.Code == code));

        // With the token the same researcher's preview of a new study names it and still stores nothing.
        var preview = await PostFileAsync(asResearcher, json);
        Assert.Contains($"A new study &#x27;{code}&#x27;.", preview, StringComparison.Ordinal);
        Assert.Contains($"created study &#x27;{code}&#x27;", preview, StringComparison.Ordinal);
        Assert.False(await db.Studies.AnyAsync(s => s.Code == code));
    }

    private static string Wave0(string json) => System.Text.Json.Nodes.JsonNode.Parse(json)!["waves"]![0]!["code"]!.GetValue<string>();

    private static string Sha(string json) => Web.Pages.Console.Protocol.UploadModel.Sha(json);

    /// <summary>Uploads the file through the page's form (multipart, with its anti-forgery token); returns the answer's HTML.</summary>
    private static async Task<string> PostFileAsync(HttpClient client, string json)
    {
        var page = await client.GetStringAsync(new Uri("/protocol/upload", UriKind.Relative));
        using var form = new MultipartFormDataContent
        {
            { new StringContent(Token(page)), "__rs_af" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(json)), "file", "study.json" },
        };
        var response = await client.PostAsync(new Uri("/protocol/upload", UriKind.Relative), form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Posts the preview's apply form back as the browser would (its hidden fields and token).</summary>
    private static async Task<string> ApplyAsync(HttpClient client, string preview)
    {
        var fields = new Dictionary<string, string> { ["__rs_af"] = Token(preview) };
        foreach (Match hidden in Hidden().Matches(preview))
        {
            fields[hidden.Groups[1].Value] = WebUtility.HtmlDecode(hidden.Groups[2].Value);
        }
        using var form = new FormUrlEncodedContent(fields);
        var response = await client.PostAsync(new Uri("/protocol/upload?handler=Apply", UriKind.Relative), form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static string Token(string html) => WebUtility.HtmlDecode(AntiforgeryField().Match(html).Groups[1].Value);

    private static string Text(string row) => WebUtility.HtmlDecode(string.Join(" | ", Cell().Matches(row).Select(c => Tags().Replace(c.Groups[1].Value, "").Trim())))
        .Replace("–", "", StringComparison.Ordinal).TrimEnd();

    [GeneratedRegex("name=\"__rs_af\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("<input type=\"hidden\" name=\"(json|sha|basis)\" value=\"([^\"]*)\"")]
    private static partial Regex Hidden();

    [GeneratedRegex("<tr>\\s*<td>.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex Rows();

    [GeneratedRegex("<td>(.*?)</td>", RegexOptions.Singleline)]
    private static partial Regex Cell();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();
}
