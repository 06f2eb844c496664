using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RecoveryStudy.Mail;

/// <summary>
/// Shared state of one SMTP relay, kept in the database so that every node sees the same rate
/// limit and the same picture of the relay's health.
/// </summary>
public class MailRelay
{
    public required string Name { get; set; }

    /// <summary>The rate limiter's theoretical arrival time (GCRA): the next permit is free from then on.</summary>
    public DateTime NextFreeAt { get; set; }

    /// <summary>Since when every connection attempt failed; null while the relay answers.</summary>
    public DateTime? UnreachableSince { get; set; }
    public DateTime? LastConnectedAt { get; set; }

    /// <summary>The last connection error (never an address).</summary>
    public string? LastError { get; set; }
}

internal sealed class MailRelayConfiguration : IEntityTypeConfiguration<MailRelay>
{
    public void Configure(EntityTypeBuilder<MailRelay> entity)
    {
        entity.HasKey(r => r.Name);
        entity.Property(r => r.Name).HasMaxLength(200);
        entity.Property(r => r.LastError).HasMaxLength(1000);
    }
}
