using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.Scheduling;

/// <summary>
/// The partial index ix_invitation_open_closes_at is frozen in a migration; the expire job's and the
/// outcome writer's statements use <see cref="InvitationStatus.OpenSqlList"/>. They must name the same states.
/// </summary>
public sealed class OpenInvitationIndexTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task The_open_invitation_index_covers_exactly_the_open_statuses()
    {
        await using var db = database.CreateContext();
        var definition = await db.Database
            .SqlQueryRaw<string>("SELECT indexdef AS \"Value\" FROM pg_indexes WHERE indexname = 'ix_invitation_open_closes_at'")
            .SingleAsync();
        var predicate = definition[definition.IndexOf(" WHERE ", StringComparison.Ordinal)..];
        var named = Regex.Matches(predicate, "'([a-z_]+)'").Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal);
        Assert.Equal(InvitationStatus.Open.Order(StringComparer.Ordinal), named);
    }
}
