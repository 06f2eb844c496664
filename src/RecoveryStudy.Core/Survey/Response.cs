using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecoveryStudy.Data;
using RecoveryStudy.Instruments;
using RecoveryStudy.Scheduling;

namespace RecoveryStudy.Survey;

/// <summary>One invitation's answers to one instrument version.</summary>
public class Response
{
    public long Id { get; set; }
    public long InvitationId { get; set; }
    public int InstrumentVersionId { get; set; }
    public string Status { get; set; } = ResponseStatus.InProgress;

    /// <summary>"web" for answers given on the participant pages, "import" for answers from a file.</summary>
    public string Source { get; set; } = "web";
    public DateTime StartedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? CompletedAt { get; set; }

    public Invitation? Invitation { get; set; }
    public InstrumentVersion? InstrumentVersion { get; set; }
    public List<Answer> Answers { get; set; } = [];
}

/// <summary>
/// One item's value in a response: a numeric code or number, several codes for a
/// multiple choice, a date, or text.
/// </summary>
public class Answer
{
    public long Id { get; set; }
    public long ResponseId { get; set; }
    public int ItemId { get; set; }
    public decimal? NumericValue { get; set; }
    public int[]? Codes { get; set; }
    public DateOnly? DateValue { get; set; }
    public string? TextValue { get; set; }
    public DateTime AnsweredAt { get; set; }
}

internal sealed class ResponseConfiguration : IEntityTypeConfiguration<Response>
{
    public void Configure(EntityTypeBuilder<Response> entity)
    {
        entity.HasIndex(r => new { r.InvitationId, r.InstrumentVersionId }).IsUnique();
        entity.Property(r => r.Status).HasMaxLength(16);
        entity.Property(r => r.Source).HasMaxLength(16);
        entity.HasAllowedValues("response", "status", ResponseStatus.All);
        entity.HasAllowedValues("response", "source", ["web", "import"]);
        entity.HasOne(r => r.Invitation).WithMany().HasForeignKey(r => r.InvitationId).OnDelete(DeleteBehavior.Cascade);
        entity.HasOne(r => r.InstrumentVersion).WithMany().HasForeignKey(r => r.InstrumentVersionId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class AnswerConfiguration : IEntityTypeConfiguration<Answer>
{
    public void Configure(EntityTypeBuilder<Answer> entity)
    {
        entity.HasIndex(a => new { a.ResponseId, a.ItemId }).IsUnique();
        entity.Property(a => a.TextValue).HasMaxLength(10000);
        entity.HasOne<Response>().WithMany(r => r.Answers).HasForeignKey(a => a.ResponseId).OnDelete(DeleteBehavior.Cascade);
        entity.HasOne<Item>().WithMany().HasForeignKey(a => a.ItemId).OnDelete(DeleteBehavior.Restrict);
    }
}
