using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.StaffConsole.Account;

/// <summary>
/// What a page model says after a form (a refusal next to its field, a notice after a change) is in
/// the staff member's language too, not only the labels <see cref="TranslatedPagesTests"/> reads.
/// </summary>
public sealed class TranslatedMessagesTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task A_polish_admins_refused_membership_names_the_field_in_polish_and_changes_nothing()
    {
        await using var db = database.CreateContext();
        var world = await ConsoleWorld.CreateAsync(db);
        var researcher = await StaffSession.CreateUserAsync(db, StaffRole.Researcher); // joins the study
        var before = (await db.StudyMembers.AsNoTracking().SingleAsync(m => m.StudyId == world.Study.Id && m.StaffUserId == researcher.Id)).Role;
        var (client, app) = await SignInAsync(db, "pl");
        await using var _ = app;
        using var __ = client;
        var page = $"/studies/{world.Study.Id}/members";

        using var refused = await StaffSession.PostFormAsync(client, page + "?handler=Set",
            new() { ["userId"] = researcher.Id.ToString(CultureInfo.InvariantCulture), ["role"] = "boss" }, formPage: page);
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Rola: wybierz jedną z: ", html, StringComparison.Ordinal);
        Assert.DoesNotContain("choose one of", html, StringComparison.Ordinal);
        await using var check = database.CreateContext();
        Assert.Equal(before, (await check.StudyMembers.SingleAsync(m => m.StudyId == world.Study.Id && m.StaffUserId == researcher.Id)).Role);
    }

    [Fact]
    public async Task A_polish_admin_reads_the_wave_pause_notice_in_polish()
    {
        await using var db = database.CreateContext();
        var world = await ConsoleWorld.CreateAsync(db);
        var (client, app) = await SignInAsync(db, "pl");
        await using var _ = app;
        using var __ = client;
        var page = $"/studies/{world.Study.Id}/sending";

        using var paused = await StaffSession.PostFormAsync(client, page + "?handler=Wave",
            new() { ["waveId"] = world.Baseline.Id.ToString(CultureInfo.InvariantCulture), ["pause"] = "true" }, formPage: page);
        Assert.Equal(HttpStatusCode.Redirect, paused.StatusCode);
        var html = WebUtility.HtmlDecode(await client.GetStringAsync(new Uri(page, UriKind.Relative)));

        Assert.Contains("Wysyłka została wstrzymana dla pomiaru baseline.", html, StringComparison.Ordinal);
        Assert.Contains("Wznów pomiar baseline", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Sending is paused", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_danish_admin_reads_the_analyst_forms_refusals_in_danish()
    {
        await using var db = database.CreateContext();
        var world = await ConsoleWorld.CreateAsync(db);
        var (client, app) = await SignInAsync(db, "da");
        await using var _ = app;
        using var __ = client;

        using var compare = await client.GetAsync(new Uri($"/studies/{world.Study.Id}/compare?from=baseline&to=baseline", UriKind.Relative));
        var compareHtml = WebUtility.HtmlDecode(await compare.Content.ReadAsStringAsync());
        using var distribution = await client.GetAsync(new Uri($"/studies/{world.Study.Id}/distribution?wave=baseline&instrument=nosuch", UriKind.Relative));
        var distributionHtml = WebUtility.HtmlDecode(await distribution.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, compare.StatusCode);
        Assert.Contains("<span class=\"field-error\" id=\"to-error\">Vælg en anden måling end den første.</span>", compareHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, distribution.StatusCode);
        Assert.Contains("<span class=\"field-error\" id=\"instrument-error\">Måling baseline indeholder ikke instrumentet \"nosuch\".</span>", distributionHtml, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pl")]
    [InlineData("da")]
    public async Task Compare_and_distribution_results_show_no_english_label(string language)
    {
        await using var db = database.CreateContext();
        var study = (await AnalystWorld.CreateAsync(db)).Study;
        var (client, app) = await SignInAsync(db, language);
        await using var _ = app;
        using var __ = client;
        var english = ConsoleTexts.EnglishOnly(language);

        foreach (var path in new[] { $"/studies/{study.Id}/compare?from=baseline&to=followup&item=wb1", $"/studies/{study.Id}/compare?from=baseline&to=followup", $"/studies/{study.Id}/distribution?wave=baseline" })
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            var html = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answers {response.StatusCode}");
            Assert.Contains("data-stat=", html, StringComparison.Ordinal); // results, not the empty form
            Assert.DoesNotContain("no value at", html, StringComparison.Ordinal);
            var shown = ConsoleTexts.Texts(html).Where(t => english.Any(label => label.IsMatch(t))).Distinct().ToList();
            Assert.True(shown.Count == 0, $"{path} shows English: {string.Join(" | ", shown)}");
        }
    }

    private async Task<(HttpClient Client, TestApp App)> SignInAsync(StudyDbContext db, string language)
    {
        var admin = await StaffSession.CreateUserAsync(db, StaffRole.Admin);
        admin.Language = language;
        await db.SaveChangesAsync();
        var app = await TestApp.StartAsync(database.ConnectionString);
        return (await StaffSession.SignInAsync(app, admin.Email), app);
    }
}
