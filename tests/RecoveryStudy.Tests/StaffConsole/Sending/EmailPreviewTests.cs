using System.Net;
using System.Text.RegularExpressions;
using RecoveryStudy.Data;
using RecoveryStudy.Protocol;
using RecoveryStudy.Staff;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.StaffConsole.Sending;

/// <summary>The console's preview of every email text: each wave, step and language, filled in for a sample participant; researchers only.</summary>
public sealed partial class EmailPreviewTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task A_researcher_sees_every_step_in_every_language_filled_in_and_an_analyst_is_refused()
    {
        await using var db = database.CreateContext();
        var code = "emails-" + Guid.NewGuid().ToString("N")[..8];
        var imported = await new ProtocolImporter(db, TimeProvider.System).ImportAsync(MiniProtocol.With(d => d["study"]!["code"] = code), Actor.Cli, CancellationToken.None);
        Assert.True(imported.Succeeded);
        var researcher = await StaffSession.CreateUserAsync(db, StaffRole.Researcher);
        var analyst = await StaffSession.CreateUserAsync(db, StaffRole.Analyst);
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var asResearcher = await StaffSession.SignInAsync(app, researcher.Email);
        using var asAnalyst = await StaffSession.SignInAsync(app, analyst.Email);
        var path = new Uri($"/studies/{imported.StudyId}/emails", UriKind.Relative);

        Assert.Equal(HttpStatusCode.Forbidden, (await asAnalyst.GetAsync(path)).StatusCode);
        var html = await asResearcher.GetStringAsync(path);

        var emails = Article().Matches(html).Select(m => (Wave: m.Groups[1].Value, Step: m.Groups[2].Value, Language: m.Groups[3].Value,
            Subject: WebUtility.HtmlDecode(m.Groups[4].Value).Trim(), Text: WebUtility.HtmlDecode(m.Groups[5].Value))).ToList();
        // Baseline: invitation, reminders 1 and 2, last chance; follow-up: invitation, reminder 1; each in English and Danish.
        Assert.Equal(
            [
                "baseline invitation en", "baseline invitation da", "baseline reminder 1 en", "baseline reminder 1 da", "baseline reminder 2 en", "baseline reminder 2 da",
                "baseline last chance en", "baseline last chance da", "followup invitation en", "followup invitation da", "followup reminder 1 en", "followup reminder 1 da",
            ],
            emails.Select(e => $"{e.Wave} {e.Step} {e.Language}"));
        var invitationDa = emails.Single(e => e is { Wave: "baseline", Step: "invitation", Language: "da" });
        Assert.Equal("Start", invitationDa.Subject);
        Assert.Contains("Alex", invitationDa.Text, StringComparison.Ordinal);
        Assert.Matches("Svar venligst: https?://\\S+", invitationDa.Text);
        Assert.Equal("Sidste chance", emails.Single(e => e is { Wave: "baseline", Step: "last chance", Language: "da" }).Subject);
        Assert.Matches("Closes [^{]+: https?://", emails.Single(e => e is { Wave: "baseline", Step: "last chance", Language: "en" }).Text);
        Assert.All(emails, e => Assert.DoesNotContain("{", e.Subject + e.Text, StringComparison.Ordinal));
    }

    [GeneratedRegex("<article class=\"email-preview\" data-wave=\"([^\"]+)\" data-step=\"([^\"]+)\" data-language=\"([^\"]+)\"[^>]*>\\s*<h3><span[^>]*>[^<]*</span>([^<]*)</h3>\\s*<pre>(.*?)</pre>", RegexOptions.Singleline)]
    private static partial Regex Article();
}
