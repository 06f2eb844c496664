using System.Globalization;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.StaffConsole.Sending;

/// <summary>Pausing and resuming on the sending controls page takes effect and is audited.</summary>
public sealed class ControlsTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private readonly ConsoleActions console = new(database);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => console.DisposeAsync().AsTask();

    [Fact]
    public async Task Pausing_and_resuming_the_study_and_a_wave_is_recorded_and_audited()
    {
        var (app, db, world, client) = await console.StartAsync(StaffRole.Researcher);
        await using var _ = app;
        var page = $"/studies/{world.Study.Id}/sending";
        var wave = world.Baseline.Id.ToString(CultureInfo.InvariantCulture);

        await StaffSession.PostFormAsync(client, page + "?handler=Wave", new() { ["waveId"] = wave, ["pause"] = "true" }, formPage: page);
        Assert.Equal(WaveStatus.Paused, (await db.Waves.AsNoTracking().SingleAsync(w => w.Id == world.Baseline.Id)).Status);
        await StaffSession.PostFormAsync(client, page + "?handler=Wave", new() { ["waveId"] = wave, ["pause"] = "false" }, formPage: page);
        Assert.Equal(WaveStatus.Active, (await db.Waves.AsNoTracking().SingleAsync(w => w.Id == world.Baseline.Id)).Status);
        await StaffSession.PostFormAsync(client, page + "?handler=Study", new() { ["pause"] = "true" }, formPage: page);
        Assert.Equal(StudyStatus.Paused, (await db.Studies.AsNoTracking().SingleAsync(s => s.Id == world.Study.Id)).Status);
        await StaffSession.PostFormAsync(client, page + "?handler=Study", new() { ["pause"] = "false" }, formPage: page);
        Assert.Equal(StudyStatus.Active, (await db.Studies.AsNoTracking().SingleAsync(s => s.Id == world.Study.Id)).Status);

        await ConsoleActions.AssertAuditedAsync(db, "wave.pause", world.Baseline.Id);
        await ConsoleActions.AssertAuditedAsync(db, "wave.resume", world.Baseline.Id);
        await ConsoleActions.AssertAuditedAsync(db, "study.pause", world.Study.Id);
        await ConsoleActions.AssertAuditedAsync(db, "study.resume", world.Study.Id);
    }
}
