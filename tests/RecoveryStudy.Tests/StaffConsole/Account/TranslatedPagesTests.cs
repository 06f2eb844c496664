using System.Net;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.StaffConsole.Account;

/// <summary>
/// A Polish or Danish staff member sees no English console label on a translated page: no text
/// of the page (or aria-label) reads as an English resx value whose translation differs.
/// </summary>
public sealed class TranslatedPagesTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private static string[] TranslatedPages(ConsoleWorld world, int instrumentVersion, (long Open, long Done) interviews)
    {
        var study = world.Study.Id;
        var participant = world.Participants["P-0001"].Id;
        return
        [
            "/", $"/studies/{study}", $"/studies/{study}/grid", $"/studies/{study}/participants",
            "/account/language", "/account/password", "/account/calendar", "/account/sign-in-methods", "/admin/accounts",
            $"/participants/{participant}", $"/participants/{participant}/resend", $"/participants/{participant}/anchors",
            $"/participants/{participant}/withdraw", $"/participants/{participant}/contact", $"/participants/{participant}/schedule",
            $"/studies/{study}/outbox", $"/studies/{study}/bounces", $"/studies/{study}/responses", $"/studies/{study}/data", $"/studies/{study}/emails", $"/studies/{study}/enroll", $"/studies/{study}/protocol", "/protocol/upload", $"/instruments/{instrumentVersion}/preview",
            $"/studies/{study}/members", "/admin/audit", $"/studies/{study}/sending", $"/studies/{study}/test-email",
            $"/studies/{study}/distribution", $"/studies/{study}/distribution?wave=baseline", $"/studies/{study}/compare",
            $"/studies/{study}/interviews", $"/studies/{study}/interviews/{interviews.Open}", $"/studies/{study}/interviews/{interviews.Done}",
            $"/studies/{study}/interviews/{interviews.Open}/slots", $"/studies/{study}/interviews/{interviews.Done}/slots", $"/studies/{study}/interviews/{interviews.Open}/files",
            $"/participants/{participant}/flags", $"/participants/{participant}/copy", $"/participants/{participant}/erase",
        ];
    }

    [Fact]
    public void The_three_resource_files_have_the_same_keys_and_placeholders()
    {
        var english = ConsoleTexts.Of("en");
        foreach (var language in new[] { "pl", "da" })
        {
            var own = ConsoleTexts.Of(language);
            Assert.Equal(english.Keys.Order(StringComparer.Ordinal), own.Keys.Order(StringComparer.Ordinal));
            Assert.All(own, e => Assert.Equal(ConsoleTexts.Placeholders(english[e.Key]), ConsoleTexts.Placeholders(e.Value)));
        }
    }

    [Theory]
    [InlineData("pl")]
    [InlineData("da")]
    public async Task A_staff_member_sees_no_english_label_on_a_translated_page(string language)
    {
        await using var db = database.CreateContext();
        var world = await ConsoleWorld.CreateAsync(db);
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Admin);
        user.Language = language;
        await db.SaveChangesAsync();
        var interviews = await TranslatedInterviewTasks.CreateAsync(db, world, user.Id);
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var client = await StaffSession.SignInAsync(app, user.Email);
        var english = ConsoleTexts.EnglishOnly(language);
        var instrumentVersion = await db.Instruments.Where(i => i.StudyId == world.Study.Id).SelectMany(i => i.Versions).Select(v => v.Id).FirstAsync();

        var found = new List<string>();
        foreach (var path in TranslatedPages(world, instrumentVersion, interviews))
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answers {response.StatusCode}");
            var html = await response.Content.ReadAsStringAsync();
            Assert.Contains($"<html lang=\"{language}\">", html, StringComparison.Ordinal);
            var shown = ConsoleTexts.Texts(html).Where(t => english.Any(label => label.IsMatch(t))).Distinct().ToList();
            if (shown.Count > 0)
            {
                found.Add($"{path} shows English: {string.Join(" | ", shown)}");
            }
        }
        Assert.True(found.Count == 0, string.Join("\n", found));
    }
}
