using System.Net;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.DataRights;

/// <summary>The erase and flags pages' refusals in a Danish staff member's language; nothing changes.</summary>
public sealed class DataRightsLanguageTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task A_danish_admin_is_refused_in_danish_and_the_participant_is_unchanged()
    {
        await using var db = database.CreateContext();
        var world = await ConsoleWorld.CreateAsync(db);
        var admin = await StaffSession.CreateUserAsync(db, StaffRole.Admin);
        admin.Language = "da";
        await db.SaveChangesAsync();
        await using var app = await TestApp.StartAsync(database.ConnectionString);
        using var client = await StaffSession.SignInAsync(app, admin.Email);
        var participant = world.Participants["P-0004"];
        var erase = $"/participants/{participant.Id}/erase";

        var wrongCode = await Text(await StaffSession.PostFormAsync(client, erase, new() { ["ConfirmCode"] = "P-9999" }));
        Assert.Contains("Bekræftelseskode: skriv deltagerens kode P-0004 nøjagtigt for at slette data.", wrongCode, StringComparison.Ordinal);
        // No wave of the study asks for a flag: any flag is unknown (the token comes from the erase form).
        var unknownFlag = await Text(await StaffSession.PostFormAsync(client, $"/participants/{participant.Id}/flags", new() { ["Set"] = "selected" }, erase));
        Assert.Contains("Sat: ukendt flag selected; ingen måling i undersøgelsen kræver det.", unknownFlag, StringComparison.Ordinal);

        await db.Entry(participant).ReloadAsync();
        Assert.Equal((ParticipantStatus.Active, 0), (participant.Status, participant.Flags.Length));
    }

    private static async Task<string> Text(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }
}
