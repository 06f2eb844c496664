using Microsoft.EntityFrameworkCore;
using Npgsql;
using RecoveryStudy.Data;
using RecoveryStudy.Mail;
using RecoveryStudy.Tests.Infrastructure;
using RecoveryStudy.Tests.Infrastructure.Builders;

namespace RecoveryStudy.Tests.Data;

public sealed class DatabaseConstraintsTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Database_refuses_a_second_invitation_for_the_same_participant_and_wave()
    {
        await using var db = database.CreateContext();
        var world = await TestWorld.CreateAsync(db);
        db.Invitations.Add(TestWorld.NewInvitation(world));
        await db.SaveChangesAsync();

        db.Invitations.Add(TestWorld.NewInvitation(world));
        var error = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        var postgres = Assert.IsType<PostgresException>(error.InnerException);
        Assert.Equal(PostgresErrorCodes.UniqueViolation, postgres.SqlState);
        Assert.Equal("ix_invitations_participant_id_wave_id", postgres.ConstraintName);
    }

    [Fact]
    public async Task Database_refuses_a_second_message_for_the_same_invitation_kind_and_step()
    {
        await using var db = database.CreateContext();
        var world = await TestWorld.CreateAsync(db);
        var invitation = TestWorld.NewInvitation(world);
        db.Invitations.Add(invitation);
        await db.SaveChangesAsync();
        var now = DateTime.UtcNow;
        db.Messages.Add(new Message { InvitationId = invitation.Id, Kind = MessageKind.Reminder, Step = 1, DueAt = now, NextAttemptAt = now, CreatedAt = now });
        db.Messages.Add(new Message { InvitationId = invitation.Id, Kind = MessageKind.Reminder, Step = 2, DueAt = now, NextAttemptAt = now, CreatedAt = now });
        await db.SaveChangesAsync();

        db.Messages.Add(new Message { InvitationId = invitation.Id, Kind = MessageKind.Reminder, Step = 1, DueAt = now, NextAttemptAt = now, CreatedAt = now });
        var error = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        var postgres = Assert.IsType<PostgresException>(error.InnerException);
        Assert.Equal(PostgresErrorCodes.UniqueViolation, postgres.SqlState);
        Assert.Equal("ix_messages_invitation_id_kind_step", postgres.ConstraintName);
    }

    [Fact]
    public async Task Database_refuses_an_unknown_invitation_state()
    {
        await using var db = database.CreateContext();
        var world = await TestWorld.CreateAsync(db);
        var invitation = TestWorld.NewInvitation(world);
        invitation.Status = "lost";
        db.Invitations.Add(invitation);
        var error = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        var postgres = Assert.IsType<PostgresException>(error.InnerException);
        Assert.Equal(PostgresErrorCodes.CheckViolation, postgres.SqlState);
        Assert.Equal("ck_invitation_status", postgres.ConstraintName);
    }

    [Fact]
    public async Task Model_and_migrations_do_not_drift_apart()
    {
        await using var db = database.CreateContext();
        Assert.False(db.Database.HasPendingModelChanges(), "The model has changes no migration captures: run dotnet ef migrations add.");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }
}
