using Microsoft.EntityFrameworkCore;
using Npgsql;
using RecoveryStudy.Consent;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Data;

/// <summary>The consent records' rules hold in the database itself, whatever code writes to it.</summary>
public sealed class ConsentRecordConstraintsTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Theory]
    [InlineData(ConsentDecision.Agreed, """{"take_part": false}""", "ck_consent_record_decision_clauses")]
    [InlineData(ConsentDecision.Declined, """{"take_part": true}""", "ck_consent_record_decision_clauses")]
    [InlineData(ConsentDecision.Agreed, """{"take_part": "yes"}""", "ck_consent_record_clause_answers")]
    [InlineData("maybe", """{"take_part": true}""", "ck_consent_record_decision")]
    public async Task Database_refuses_a_consent_record_that_breaks_its_rules(string decision, string answers, string constraint)
    {
        await using var db = database.CreateContext();
        var (world, versionId) = await WorldAsync(db);
        var error = await Assert.ThrowsAsync<PostgresException>(() => InsertAsync(db, world, versionId, decision, answers, 1));
        Assert.Equal((PostgresErrorCodes.CheckViolation, constraint), (error.SqlState, error.ConstraintName));
    }

    [Fact]
    public async Task Database_refuses_a_second_answer_to_the_same_consent_version()
    {
        await using var db = database.CreateContext();
        var (world, versionId) = await WorldAsync(db);
        await InsertAsync(db, world, versionId, ConsentDecision.Agreed, """{"take_part": true}""", 1);
        await InsertAsync(db, world, versionId, ConsentDecision.Agreed, """{"take_part": true}""", 2);
        var error = await Assert.ThrowsAsync<PostgresException>(() => InsertAsync(db, world, versionId, ConsentDecision.Declined, "{}", 1));
        Assert.Equal((PostgresErrorCodes.UniqueViolation, "ix_consent_records_participant_id_consent_code_consent_version"), (error.SqlState, error.ConstraintName));
    }

    private static async Task<(SurveyWorld World, int VersionId)> WorldAsync(RecoveryStudy.Data.StudyDbContext db)
    {
        var world = await SurveyWorld.CreateAsync(db);
        return (world, (await ConsentWorld.AskAsync(db, world, ConsentWorld.Consent())).Id);
    }

    private static Task<int> InsertAsync(RecoveryStudy.Data.StudyDbContext db, SurveyWorld world, int versionId, string decision, string answers, int version) =>
        db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO consent_records (participant_id, invitation_id, protocol_version_id, consent_code, consent_version, decision, clause_answers, language, given_at)
            VALUES ({world.Participant.Id}, {world.Invitation.Id}, {versionId}, 'main', {version}, {decision}, {answers}::jsonb, 'en', now())
            """);
}
