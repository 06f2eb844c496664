using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecoveryStudy.Participants;

namespace RecoveryStudy.DataRights;

/// <summary>
/// A participant's request for a copy of their data, made on the unsubscribe page: the SHA-256
/// hash of the single-use link emailed to confirm it (the token exists only in that email), when
/// it expires, and when it was used. Erasure deletes these rows with the participant's data.
/// </summary>
public class DataCopyRequest
{
    public long Id { get; set; }
    public int ParticipantId { get; set; }
    public required byte[] TokenHash { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? UsedAt { get; set; }
}

internal sealed class DataCopyRequestConfiguration : IEntityTypeConfiguration<DataCopyRequest>
{
    public void Configure(EntityTypeBuilder<DataCopyRequest> entity)
    {
        entity.ToTable("data_copy_requests");
        entity.HasIndex(r => r.TokenHash).IsUnique();
        entity.HasIndex(r => r.ParticipantId);
        entity.ToTable(t => t.HasCheckConstraint("ck_data_copy_request_hash_length", "length(token_hash) = 32"));
        entity.HasOne<Participant>().WithMany().HasForeignKey(r => r.ParticipantId).OnDelete(DeleteBehavior.Cascade);
    }
}
