using System.Globalization;
using System.Net;
using RecoveryStudy.Data;
using RecoveryStudy.Interviews;
using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.Interviews;

/// <summary>
/// The page models' own messages (validation, notices) in the staff member's language: what the
/// translated-pages test, which only reads pages, cannot see.
/// </summary>
public sealed class InterviewLanguageTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task A_polish_researcher_gets_the_task_and_time_offer_messages_in_polish()
    {
        // A trainee whose interview window ran from 15 February to 29 March 2026.
        var world = await InterviewWorld.CreateAsync(database, new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        await using var _ = world;
        var p = await world.ParticipantAsync("P-lang-1", new DateOnly(2025, 3, 1), enrolledOn: new DateOnly(2025, 1, 10));
        await world.Jobs.Plan.RunAsync(CancellationToken.None);
        var task = (await world.TasksAsync()).Single(t => t.ParticipantId == p.Id);
        var researcher = await StaffSession.CreateUserAsync(world.Db, StaffRole.Researcher);
        researcher.Language = "pl";
        await world.Db.SaveChangesAsync();
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var client = await StaffSession.SignInAsync(app, researcher.Email);
        var page = $"/studies/{world.Study.Id}/interviews/{task.Id}";

        var empty = await Text(await StaffSession.PostFormAsync(client, page + "?handler=Complete", [], page));
        Assert.Contains("Podaj datę wywiadu.", empty, StringComparison.Ordinal);
        Assert.Contains("Podaj czas trwania w pełnych minutach, od 1 do 1440.", empty, StringComparison.Ordinal);
        Assert.Contains("Wybierz: osobiście, telefonicznie lub wideo.", empty, StringComparison.Ordinal);
        var late = await Text(await StaffSession.PostFormAsync(client, page + "?handler=Complete",
            new() { ["CompletedOn"] = "2026-04-10", ["DurationMinutes"] = "30", ["Mode"] = InterviewMode.Phone }, page));
        Assert.Contains("Data musi mieścić się w oknie, od 2026-02-15 do 2026-03-29.", late, StringComparison.Ordinal);

        var assign = await StaffSession.PostFormAsync(client, page + "?handler=Assign", new() { ["InterviewerId"] = researcher.Id.ToString(CultureInfo.InvariantCulture) }, page);
        Assert.Equal(HttpStatusCode.Redirect, assign.StatusCode);
        Assert.Contains("Przydzielono osobę prowadzącą wywiad.", WebUtility.HtmlDecode(await client.GetStringAsync(new Uri(page, UriKind.Relative))), StringComparison.Ordinal);

        var slots = page + "/slots";
        var offer = await Text(await StaffSession.PostFormAsync(client, slots + "?handler=Offer",
            new() { ["Start"] = "24.02.2028 10:00", ["DurationMinutes"] = "60", ["Mode"] = InterviewMode.Video }, slots));
        Assert.Contains("Podaj początek jako datę i godzinę w strefie Europe/Warsaw, np. 2027-03-04T10:30.", offer, StringComparison.Ordinal);
        Assert.DoesNotContain("Give the start", offer, StringComparison.Ordinal);
    }

    private static async Task<string> Text(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }
}
