using RecoveryStudy.Consent;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;
using RecoveryStudy.Tests.Survey;

namespace RecoveryStudy.Tests.StaffConsole.Participants;

/// <summary>The console shows each participant's consent and the dashboard counts agreements, refusals and the rest.</summary>
public sealed class ConsentStatusTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Participant_page_shows_the_consent_and_the_dashboard_counts_it()
    {
        SurveyWorld world;
        string email;
        await using (var db = database.CreateContext())
        {
            world = await SurveyWorld.CreateAsync(db);
            await ConsentWorld.AskAsync(db, world, ConsentWorld.Consent(version: 2));
            var outcome = await ConsentAnswer.RecordAsync(db, TimeProvider.System,
                new ConsentRequest(world.Invitation.Id, true, new HashSet<string> { "take_part", "data_use" }, "en"), CancellationToken.None);
            Assert.True(outcome.Stored);
            email = (await StaffSession.CreateUserAsync(db, StaffRole.Researcher)).Email;
        }
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var client = await StaffSession.SignInAsync(app, email);

        var participant = await client.GetStringAsync(new Uri($"/participants/{world.Participant.Id}", UriKind.Relative));
        var consent = ParticipantClient.Parse(participant).QuerySelector("#consent")?.TextContent ?? "";
        Assert.Contains("agreed", consent, StringComparison.Ordinal);
        Assert.Contains("'main' version 2", consent, StringComparison.Ordinal);
        Assert.Contains("future_contact no", consent, StringComparison.Ordinal);

        var dashboard = ParticipantClient.Parse(await client.GetStringAsync(new Uri($"/studies/{world.Study.Id}", UriKind.Relative)));
        var counts = dashboard.QuerySelector("#consent-counts");
        Assert.NotNull(counts);
        Assert.Equal(("1", "0", "0"), (counts.GetAttribute("data-agreed"), counts.GetAttribute("data-declined"), counts.GetAttribute("data-not-answered")));
    }
}
