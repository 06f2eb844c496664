using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Survey;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Survey;

/// <summary>
/// The participant pages cache a wave's instruments and versions keyed on the wave's structure
/// revision, which the database raises itself. Each change here is written in plain SQL, on a
/// context of its own, as another node's protocol import (or a hand in psql) would, after this
/// process has cached the wave: the next state read must show it.
/// </summary>
public sealed class WaveStructureCacheTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task A_new_version_written_elsewhere_is_shown_by_the_next_read()
    {
        var world = await CachedWorldAsync();

        await ExecuteAsync("""
            INSERT INTO instrument_versions (instrument_id, version, title, intro, content_hash, created_at)
            VALUES ({0}, 2, '{{"en": "Wellbeing, revised"}}', '{{}}', 'elsewhere-2', now())
            """, world.Wellbeing.InstrumentId);

        var state = await LoadAsync(world);
        Assert.Equal([world.Course.Id, await VersionIdAsync(world.Wellbeing.InstrumentId, 2)], state.Versions.Select(v => v.Id));
    }

    [Fact]
    public async Task A_version_changed_in_place_elsewhere_is_loaded_again()
    {
        var world = await CachedWorldAsync();

        await ExecuteAsync("""
            UPDATE items SET label = '{{"en": "Reworded elsewhere"}}' WHERE instrument_version_id = {0} AND code = 'who_1';
            UPDATE instrument_versions SET content_hash = 'reworded' WHERE id = {0};
            """, world.Wellbeing.Id);

        var state = await LoadAsync(world);
        var item = state.Versions.Single(v => v.Id == world.Wellbeing.Id).Items.Single(i => i.Code == "who_1");
        Assert.Equal("Reworded elsewhere", item.Label["en"]);
    }

    [Fact]
    public async Task An_instrument_taken_out_of_the_wave_and_one_moved_are_seen_by_the_next_read()
    {
        var world = await CachedWorldAsync();

        await ExecuteAsync("UPDATE wave_instruments SET position = 0 WHERE wave_id = {0} AND instrument_id = {1}",
            world.Wave.Id, world.Wellbeing.InstrumentId);
        Assert.Equal([world.Wellbeing.Id, world.Course.Id], (await LoadAsync(world)).Versions.Select(v => v.Id));

        await ExecuteAsync("DELETE FROM wave_instruments WHERE wave_id = {0} AND instrument_id = {1}",
            world.Wave.Id, world.Course.InstrumentId);
        Assert.Equal([world.Wellbeing.Id], (await LoadAsync(world)).Versions.Select(v => v.Id));
    }

    [Fact]
    public async Task A_change_to_another_wave_or_to_a_versions_bookkeeping_leaves_the_revision_alone()
    {
        var world = await CachedWorldAsync();
        var before = await RevisionAsync(world);

        await ExecuteAsync("UPDATE instrument_versions SET created_at = created_at + interval '1 second' WHERE id = {0}", world.Wellbeing.Id);
        await using (var db = database.CreateContext())
        {
            await SurveyWorld.CreateAsync(db);
        }

        Assert.Equal(before, await RevisionAsync(world));
    }

    [Fact]
    public async Task Deleting_a_wave_or_a_whole_study_cascades_through_the_triggers_without_error()
    {
        var world = await CachedWorldAsync();
        var other = await CachedWorldAsync();

        // The cascade deletes the wave's instruments after the wave: their trigger finds no wave to raise.
        await ExecuteAsync("DELETE FROM invitations WHERE wave_id = {0}; DELETE FROM waves WHERE id = {0}", world.Wave.Id);
        // Here the versions go too, and their trigger looks for waves the same statement is deleting.
        await ExecuteAsync("DELETE FROM studies WHERE id = {0}", other.Study.Id);

        await using var db = database.CreateContext();
        Assert.False(await db.Waves.AnyAsync(w => w.Id == world.Wave.Id || w.StudyId == other.Study.Id));
        Assert.False(await db.InstrumentVersions.AnyAsync(v => v.Id == other.Wellbeing.Id));
    }

    // A world whose wave this process has read, and so cached, at its current revision.
    private async Task<SurveyWorld> CachedWorldAsync()
    {
        SurveyWorld world;
        await using (var db = database.CreateContext())
        {
            world = await SurveyWorld.CreateAsync(db);
        }
        var state = await LoadAsync(world);
        Assert.Equal([world.Course.Id, world.Wellbeing.Id], state.Versions.Select(v => v.Id));
        return world;
    }

    private async Task<SurveyState> LoadAsync(SurveyWorld world)
    {
        await using var db = database.CreateContext();
        return (await SurveyState.LoadAsync(db, world.Invitation.Id, default))!;
    }

    private async Task ExecuteAsync(string sql, params object[] parameters)
    {
        await using var db = database.CreateContext();
        await db.Database.ExecuteSqlRawAsync(sql, parameters);
    }

    private async Task<int> VersionIdAsync(int instrumentId, int version)
    {
        await using var db = database.CreateContext();
        return await db.InstrumentVersions.Where(v => v.InstrumentId == instrumentId && v.Version == version).Select(v => v.Id).SingleAsync();
    }

    private async Task<long> RevisionAsync(SurveyWorld world)
    {
        await using var db = database.CreateContext();
        return await db.Waves.Where(w => w.Id == world.Wave.Id).Select(w => w.StructureRevision).SingleAsync();
    }
}
