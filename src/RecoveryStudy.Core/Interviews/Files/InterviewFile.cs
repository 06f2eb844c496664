using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecoveryStudy.Data;
using RecoveryStudy.Staff;
using RecoveryStudy.Studies;

namespace RecoveryStudy.Interviews.Files;

/// <summary>
/// An audio recording or transcript attached to an interview task. This row is the metadata only;
/// the content is in <see cref="InterviewFileChunk"/> rows, encrypted with a key of its own that is
/// stored here wrapped by a master key (<see cref="InterviewFileCipher"/>). Never exported.
/// </summary>
public class InterviewFile
{
    /// <summary>Made by the uploader, not the database: the chunks' authenticated data names it.</summary>
    public Guid Id { get; set; }
    public long TaskId { get; set; }
    public int StudyId { get; set; }
    public string Kind { get; set; } = InterviewFileKind.Audio;

    /// <summary>The name the uploader's computer gave it (may itself be personal: shown to contact-rights roles only).</summary>
    public string FileName { get; set; } = "";
    public string ContentType { get; set; } = "";
    public long SizeBytes { get; set; }
    public int ChunkCount { get; set; }

    /// <summary>SHA-256 of the plaintext, checked again on every download.</summary>
    public byte[] Sha256 { get; set; } = [];

    /// <summary>Which master key wrapped <see cref="WrappedKey"/> (<c>Interviews:FileKeys</c>).</summary>
    public string KeyId { get; set; } = "";
    public byte[] WrappedKey { get; set; } = [];
    public int? UploadedBy { get; set; }
    public DateTime UploadedAt { get; set; }
}

/// <summary>One encrypted piece of a file's content (AES-GCM ciphertext and tag), in order of <see cref="Seq"/>.</summary>
public class InterviewFileChunk
{
    public Guid FileId { get; set; }
    public int Seq { get; set; }
    public byte[] Data { get; set; } = [];
}

public static class InterviewFileKind
{
    public const string Audio = "audio";
    public const string Transcript = "transcript";
    public static readonly string[] All = [Audio, Transcript];
}

internal sealed class InterviewFileConfiguration : IEntityTypeConfiguration<InterviewFile>
{
    public void Configure(EntityTypeBuilder<InterviewFile> entity)
    {
        entity.HasIndex(f => f.TaskId);
        entity.Property(f => f.Id).ValueGeneratedNever();
        entity.Property(f => f.Kind).HasMaxLength(16);
        entity.Property(f => f.FileName).HasMaxLength(255);
        entity.Property(f => f.ContentType).HasMaxLength(100);
        entity.Property(f => f.KeyId).HasMaxLength(32);
        entity.HasAllowedValues("interview_file", "kind", InterviewFileKind.All);
        entity.ToTable(t =>
        {
            t.HasCheckConstraint("ck_interview_file_size", "size_bytes >= 0 AND chunk_count >= 0");
            t.HasCheckConstraint("ck_interview_file_sha256", "length(sha256) = 32");
        });
        entity.HasOne<InterviewTask>().WithMany().HasForeignKey(f => f.TaskId).OnDelete(DeleteBehavior.Cascade);
        entity.HasOne<Study>().WithMany().HasForeignKey(f => f.StudyId).OnDelete(DeleteBehavior.Cascade);
        entity.HasOne<StaffUser>().WithMany().HasForeignKey(f => f.UploadedBy).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class InterviewFileChunkConfiguration : IEntityTypeConfiguration<InterviewFileChunk>
{
    public void Configure(EntityTypeBuilder<InterviewFileChunk> entity)
    {
        entity.HasKey(c => new { c.FileId, c.Seq });
        entity.ToTable(t => t.HasCheckConstraint("ck_interview_file_chunk_seq", "seq >= 0"));
        entity.HasOne<InterviewFile>().WithMany().HasForeignKey(c => c.FileId).OnDelete(DeleteBehavior.Cascade);
    }
}
