using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using RecoveryStudy.Data;
using RecoveryStudy.Staff;

namespace RecoveryStudy.Interviews.Files;

/// <summary>What an upload is about: the task, the kind chosen and the name the browser sent.</summary>
public sealed record InterviewFileUpload(long TaskId, int StudyId, string Kind, string FileName);

/// <summary>A stored file, or why nothing was stored (with the form field it is about).</summary>
public sealed record InterviewFileSaved(InterviewFile? File, string? Field, string? Problem)
{
    public static InterviewFileSaved Refused(string field, string problem) => new(null, field, problem);
}

/// <summary>
/// Stores interview files encrypted in PostgreSQL (<c>interview_files</c>, <c>interview_file_chunks</c>)
/// and reads them back. An upload is read from its stream one chunk at a time (at most two chunks in
/// memory), sealed and written in one transaction with its metadata and audit entry: a refused,
/// broken-off or too-large upload leaves nothing behind. Being in the database, files are in every
/// <c>ops/backup</c> and on every node without a shared folder.
/// </summary>
public sealed class InterviewFileStore(StudyDbContext db, IOptions<InterviewFileOptions> options, TimeProvider clock)
{
    private const string InsertChunk = """
        INSERT INTO interview_file_chunks (file_id, seq, data) VALUES (@file, @seq, @data)
        """;

    private InterviewFileOptions Options => options.Value;

    public string TooLargeMessage => $"The file is larger than {Options.MaxReadable}, the most an interview file may be. Nothing was stored.";

    public async Task<InterviewFileSaved> SaveAsync(InterviewFileUpload upload, Stream content, Actor actor, CancellationToken ct)
    {
        if (!Options.CanStore)
        {
            return InterviewFileSaved.Refused("File", "Interview files cannot be stored here: no master key is configured (Interviews:FileKeys, Interviews:FileKeyId).");
        }
        if (!InterviewFileKind.All.Contains(upload.Kind))
        {
            return InterviewFileSaved.Refused("Kind", "Choose the kind of file: audio or transcript.");
        }
        var name = Path.GetFileName(upload.FileName.Replace('\\', '/')).Trim();
        if (name.Length is 0 or > 255 || name.Any(char.IsControl))
        {
            return InterviewFileSaved.Refused("File", "The file name must be 1 to 255 characters without control characters.");
        }
        var max = Options.MaxFileBytes;
        var current = new byte[InterviewFileCipher.ChunkBytes];
        var filled = await FillAsync(content, current, ct);
        if (filled == 0)
        {
            return InterviewFileSaved.Refused("File", "The file is empty. Nothing was stored.");
        }
        if (filled > max)
        {
            return InterviewFileSaved.Refused("File", TooLargeMessage);
        }
        var (contentType, problem) = InterviewFileTypes.Check(upload.Kind, name, current.AsMemory(0, Math.Min(filled, 4096)));
        if (problem is not null)
        {
            return InterviewFileSaved.Refused("File", problem);
        }

        var keyId = Options.FileKeyId!;
        var fileKey = InterviewFileCipher.NewFileKey();
        var file = new InterviewFile
        {
            Id = Guid.NewGuid(), TaskId = upload.TaskId, StudyId = upload.StudyId, Kind = upload.Kind, FileName = name, ContentType = contentType!,
            Sha256 = new byte[32], KeyId = keyId, UploadedBy = actor.StaffUserId, UploadedAt = clock.GetUtcNow().UtcDateTime,
        };
        file.WrappedKey = InterviewFileCipher.Wrap(Options.Key(keyId)!, file.Id, fileKey);
        using var aes = new AesGcm(fileKey, InterviewFileCipher.TagBytes);
        CryptographicOperations.ZeroMemory(fileKey);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.InterviewFiles.Add(file);
        await db.SaveChangesAsync(ct);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var dbTransaction = (NpgsqlTransaction)transaction.GetDbTransaction();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var next = new byte[InterviewFileCipher.ChunkBytes];
        long total = filled;
        var seq = 0;
        while (true)
        {
            var more = filled == current.Length ? await FillAsync(content, next, ct) : 0;
            total += more;
            if (total > max)
            {
                // Disposing the transaction rolls back the chunks written so far.
                db.ChangeTracker.Clear();
                return InterviewFileSaved.Refused("File", TooLargeMessage);
            }
            var last = more == 0;
            sha.AppendData(current, 0, filled);
            await using (var insert = new NpgsqlCommand(InsertChunk, connection, dbTransaction))
            {
                insert.Parameters.Add(new NpgsqlParameter<Guid>("file", file.Id));
                insert.Parameters.Add(new NpgsqlParameter<int>("seq", seq));
                insert.Parameters.Add(new NpgsqlParameter<byte[]>("data", NpgsqlDbType.Bytea) { TypedValue = InterviewFileCipher.Seal(aes, file.Id, seq, last, current.AsSpan(0, filled)) });
                await insert.ExecuteNonQueryAsync(ct);
            }
            seq++;
            if (last)
            {
                break;
            }
            (current, next, filled) = (next, current, more);
        }
        file.SizeBytes = total;
        file.ChunkCount = seq;
        file.Sha256 = sha.GetHashAndReset();
        AuditLog.Add(db, clock, actor, "interview.file.upload", upload.StudyId, "interview_file", file.Id,
            new { task = upload.TaskId, kind = upload.Kind, bytes = total });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new InterviewFileSaved(file, null, null);
    }

    /// <summary>
    /// Writes the plaintext of a file to <paramref name="output"/>, chunk by chunk. Any changed, missing
    /// or reordered chunk, or a wrong master key, throws before that chunk's bytes are written; the
    /// size and SHA-256 are checked at the end.
    /// </summary>
    public async Task CopyToAsync(InterviewFile file, Stream output, CancellationToken ct)
    {
        var masterKey = Options.Key(file.KeyId) ?? throw new CryptographicException($"The master key {file.KeyId} that wrapped this file is not configured (Interviews:FileKeys:{file.KeyId}).");
        var fileKey = InterviewFileCipher.Unwrap(masterKey, file.Id, file.WrappedKey);
        using var aes = new AesGcm(fileKey, InterviewFileCipher.TagBytes);
        CryptographicOperations.ZeroMemory(fileKey);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var plain = new byte[InterviewFileCipher.ChunkBytes];
        long total = 0;
        var expected = 0;
        // One chunk at a time, each its own query: a reader of a 200 MB file holds 1 MB, never the file.
        while (expected < file.ChunkCount)
        {
            var data = await db.InterviewFileChunks.AsNoTracking().Where(c => c.FileId == file.Id && c.Seq == expected).Select(c => c.Data).SingleOrDefaultAsync(ct)
                ?? throw new CryptographicException($"Chunk {expected} of file {file.Id} is missing.");
            var length = InterviewFileCipher.Open(aes, file.Id, expected, expected == file.ChunkCount - 1, data, plain);
            sha.AppendData(plain, 0, length);
            total += length;
            await output.WriteAsync(plain.AsMemory(0, length), ct);
            expected++;
        }
        if (total != file.SizeBytes || !CryptographicOperations.FixedTimeEquals(sha.GetHashAndReset(), file.Sha256))
        {
            throw new CryptographicException($"File {file.Id} does not match its recorded size and SHA-256.");
        }
    }

    /// <summary>Deletes a file and its chunks, audited in the same transaction.</summary>
    public async Task<bool> DeleteAsync(InterviewFile file, Actor actor, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var deleted = await db.InterviewFiles.Where(f => f.Id == file.Id).ExecuteDeleteAsync(ct);
        if (deleted == 1)
        {
            AuditLog.Add(db, clock, actor, "interview.file.delete", file.StudyId, "interview_file", file.Id,
                new { task = file.TaskId, kind = file.Kind, bytes = file.SizeBytes });
            await db.SaveChangesAsync(ct);
        }
        await transaction.CommitAsync(ct);
        return deleted == 1;
    }

    /// <summary>Reads until the buffer is full or the stream ends: a short read means the end.</summary>
    private static async Task<int> FillAsync(Stream content, byte[] buffer, CancellationToken ct)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await content.ReadAsync(buffer.AsMemory(filled), ct);
            if (read == 0)
            {
                break;
            }
            filled += read;
        }
        return filled;
    }
}
