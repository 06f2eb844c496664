using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RecoveryStudy.Mail;

/// <summary>
/// A block of sends the relay's quota granted to one claim: the log that the per-minute and
/// per-day quotas are counted on, shared by every node (<see cref="RelayRateLimiter"/>). One row
/// per claim part, not per email; rows older than a day are deleted as new ones come.
/// </summary>
public class RelayPermitBlock
{
    public long Id { get; set; }
    public required string Relay { get; set; }
    public DateTime GrantedAt { get; set; }
    public int Count { get; set; }
}

/// <summary>
/// One of the relay's <see cref="MailOptions.ConnectionsPerRelay"/> connection slots: a dispatch
/// run sends only while it holds one. Held under a lease, so a dead node's slot frees by itself.
/// </summary>
public class RelayConnectionSlot
{
    public required string Relay { get; set; }
    public int Slot { get; set; }
    public string? HeldBy { get; set; }
    public DateTime? HeldUntil { get; set; }
}

internal sealed class RelayPermitBlockConfiguration : IEntityTypeConfiguration<RelayPermitBlock>
{
    public void Configure(EntityTypeBuilder<RelayPermitBlock> entity)
    {
        entity.ToTable("relay_permits");
        entity.Property(p => p.Relay).HasMaxLength(200);
        entity.HasIndex(p => new { p.Relay, p.GrantedAt });
    }
}

internal sealed class RelayConnectionSlotConfiguration : IEntityTypeConfiguration<RelayConnectionSlot>
{
    public void Configure(EntityTypeBuilder<RelayConnectionSlot> entity)
    {
        entity.ToTable("relay_connection_slots");
        entity.HasKey(s => new { s.Relay, s.Slot });
        entity.Property(s => s.Relay).HasMaxLength(200);
        entity.Property(s => s.HeldBy).HasMaxLength(200);
    }
}
