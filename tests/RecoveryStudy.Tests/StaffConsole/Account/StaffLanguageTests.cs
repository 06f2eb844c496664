using System.Globalization;
using System.Net;
using System.Resources;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;
using RecoveryStudy.Web.Pages.Console;

namespace RecoveryStudy.Tests.StaffConsole.Account;

/// <summary>
/// The console's labels are in the language each staff member chose (stored on the account):
/// an English one sees no Polish or Danish label on the main pages, a Polish one sees Polish ones.
/// </summary>
public sealed class StaffLanguageTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private static readonly ResourceManager Texts = new(typeof(ConsoleText).FullName!, typeof(ConsoleText).Assembly);

    private static string[] MainPages(ConsoleWorld world) =>
    [
        "/", $"/studies/{world.Study.Id}", $"/studies/{world.Study.Id}/grid", $"/studies/{world.Study.Id}/participants",
        $"/participants/{world.Participants["P-0001"].Id}", "/account/language", "/account/password", "/account/calendar",
    ];

    /// <summary>Every label of a language that is not also an English label ("Data", "Status" are both).</summary>
    private static List<string> LabelsOnlyIn(string language)
    {
        var english = Texts.GetResourceSet(CultureInfo.InvariantCulture, true, true)!.Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string)e.Value!);
        var own = Texts.GetResourceSet(CultureInfo.GetCultureInfo(language), true, false)!.Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string)e.Value!);
        Assert.Equal(english.Keys.Order(StringComparer.Ordinal), own.Keys.Order(StringComparer.Ordinal));
        Assert.All(own, e => Assert.False(string.IsNullOrWhiteSpace(e.Value), $"{language} {e.Key} is empty"));
        // A label with a placeholder keeps it in every language.
        Assert.All(own, e => Assert.Equal(english[e.Key].Contains("{0}", StringComparison.Ordinal), e.Value.Contains("{0}", StringComparison.Ordinal)));
        return own.Values.Where(v => !english.ContainsValue(v)).ToList();
    }

    [Fact]
    public async Task An_english_staff_member_sees_no_polish_or_danish_label_on_the_main_pages()
    {
        await using var db = database.CreateContext();
        var world = await ConsoleWorld.CreateAsync(db);
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Researcher);
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var client = await StaffSession.SignInAsync(app, user.Email);
        var foreign = LabelsOnlyIn("pl").Concat(LabelsOnlyIn("da")).ToList();

        foreach (var path in MainPages(world))
        {
            var html = WebUtility.HtmlDecode(await client.GetStringAsync(new Uri(path, UriKind.Relative)));
            Assert.Contains("<html lang=\"en\">", html, StringComparison.Ordinal);
            Assert.Contains(">Sign out</button>", html, StringComparison.Ordinal);
            // A short label ("ny", "Po") must be a whole text of the page: as a part it is in English words too.
            var texts = ConsoleTexts.Texts(html).ToHashSet(StringComparer.Ordinal);
            var shown = foreign.Where(label => label.Count(char.IsLetter) >= 12 ? html.Contains(label, StringComparison.Ordinal) : texts.Contains(label)).ToList();
            Assert.True(shown.Count == 0, $"{path} shows {string.Join(", ", shown)}");
        }
    }

    [Fact]
    public async Task A_polish_staff_member_sees_polish_labels()
    {
        await using var db = database.CreateContext();
        var world = await ConsoleWorld.CreateAsync(db);
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Researcher);
        user.Language = "pl";
        await db.SaveChangesAsync();
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var client = await StaffSession.SignInAsync(app, user.Email);

        foreach (var path in MainPages(world))
        {
            var html = WebUtility.HtmlDecode(await client.GetStringAsync(new Uri(path, UriKind.Relative)));
            Assert.Contains("<html lang=\"pl\">", html, StringComparison.Ordinal);
            Assert.Contains(">Badania</a>", html, StringComparison.Ordinal);
            Assert.Contains(">Wyloguj</button>", html, StringComparison.Ordinal);
            Assert.DoesNotContain(">Sign out</button>", html, StringComparison.Ordinal);
        }
        var dashboard = WebUtility.HtmlDecode(await client.GetStringAsync(new Uri($"/studies/{world.Study.Id}", UriKind.Relative)));
        Assert.Contains("<h1>Pulpit</h1>", dashboard, StringComparison.Ordinal);
        Assert.Contains(">Uczestnicy</a>", dashboard, StringComparison.Ordinal);
        Assert.Contains("Odsetek odpowiedzi wobec celu", dashboard, StringComparison.Ordinal);
        Assert.DoesNotContain("Response rate against the target", dashboard, StringComparison.Ordinal);
        var details = WebUtility.HtmlDecode(await client.GetStringAsync(new Uri($"/participants/{world.Participants["P-0001"].Id}", UriKind.Relative)));
        Assert.Contains("<h2>Zaproszenia i e-maile</h2>", details, StringComparison.Ordinal);
        var password = WebUtility.HtmlDecode(await client.GetStringAsync(new Uri("/account/password", UriKind.Relative)));
        Assert.Contains("<h1>Zmień swoje hasło</h1>", password, StringComparison.Ordinal);
        Assert.Contains(">Obecne hasło</label>", password, StringComparison.Ordinal);
        Assert.DoesNotContain("Current password", password, StringComparison.Ordinal);
        var calendar = WebUtility.HtmlDecode(await client.GetStringAsync(new Uri("/account/calendar", UriKind.Relative)));
        Assert.Contains("<h1>Kalendarz wywiadów</h1>", calendar, StringComparison.Ordinal);
        Assert.Contains(">Utwórz adres URL kalendarza</button>", calendar, StringComparison.Ordinal);
        Assert.DoesNotContain("Interview calendar", calendar, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_polish_staff_members_password_form_answers_in_polish_and_changes_nothing()
    {
        await using var db = database.CreateContext();
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Analyst);
        user.Language = "pl";
        await db.SaveChangesAsync();
        var before = user.PasswordHash;
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var client = await StaffSession.SignInAsync(app, user.Email);

        var refused = await StaffSession.PostFormAsync(client, "/account/password",
            new() { ["Current"] = "not the password", ["Replacement"] = "plum harbour violin kettle", ["Confirmation"] = "plum harbour violin kettle" });
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Obecne hasło jest nieprawidłowe.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("The current password is not correct.", html, StringComparison.Ordinal);
        await using var check = database.CreateContext();
        Assert.Equal(before, (await check.StaffUsers.SingleAsync(u => u.Id == user.Id)).PasswordHash);
    }

    [Fact]
    public async Task A_danish_staff_member_reads_the_password_policys_reason_in_danish()
    {
        await using var db = database.CreateContext();
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Analyst);
        user.Language = "da";
        await db.SaveChangesAsync();
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var client = await StaffSession.SignInAsync(app, user.Email);

        var refused = await StaffSession.PostFormAsync(client, "/account/password",
            new() { ["Current"] = StaffSession.Password, ["Replacement"] = "1234567890123456", ["Confirmation"] = "1234567890123456" });
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Den nye adgangskode er en række (som 123456 eller qwerty); vælg en, der ikke er.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("The new password is a sequence", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_language_chosen_on_the_account_page_is_stored_audited_and_used_at_once()
    {
        await using var db = database.CreateContext();
        var user = await StaffSession.CreateUserAsync(db, StaffRole.Analyst);
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var client = await StaffSession.SignInAsync(app, user.Email);

        var refused = await StaffSession.PostFormAsync(client, "/account/language", new() { ["Choice"] = "de" });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Choose English, Polski or Dansk.", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using (var check = database.CreateContext())
        {
            Assert.Equal("en", (await check.StaffUsers.SingleAsync(u => u.Id == user.Id)).Language);
        }

        var saved = await StaffSession.PostFormAsync(client, "/account/language", new() { ["Choice"] = "da" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var page = WebUtility.HtmlDecode(await client.GetStringAsync(new Uri("/", UriKind.Relative)));
        Assert.Contains("<h1>Undersøgelser</h1>", page, StringComparison.Ordinal);
        await using (var check = database.CreateContext())
        {
            Assert.Equal("da", (await check.StaffUsers.SingleAsync(u => u.Id == user.Id)).Language);
            Assert.True(await check.AuditEntries.AnyAsync(a => a.Action == "staff.language" && a.StaffUserId == user.Id));
        }

        // A new sign-in takes the stored language.
        using var again = await StaffSession.SignInAsync(app, user.Email);
        Assert.Contains(">Log ud</button>", await again.GetStringAsync(new Uri("/", UriKind.Relative)), StringComparison.Ordinal);
    }
}
