using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using RecoveryStudy.Data;

namespace RecoveryStudy.Web.Cli;

/// <summary>
/// `migrate`: applies every pending migration and says which. `migrate --dry-run [--sql]` lists
/// what would be applied (and its SQL) without changing anything; `migrate --script FILE` writes
/// the idempotent SQL script of every migration, for a DBA to review and run, without a server.
/// </summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "List the pending migrations and their statement counts; apply nothing." };
        var sql = new Option<bool>("--sql") { Description = "With --dry-run: also print the SQL the pending migrations would run." };
        var script = new Option<FileInfo?>("--script") { Description = "Write the idempotent SQL script of every migration to this file (runs on a database of any earlier version); apply nothing, needs no server." };
        var command = new Command("migrate", "Apply pending database migrations.") { dryRun, sql, script };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(script) is { } file)
            {
                if (parse.GetValue(dryRun) || parse.GetValue(sql))
                {
                    await Console.Error.WriteLineAsync("--script: not with --dry-run or --sql");
                    return 2;
                }
                return await WriteScriptAsync(file, cancellationToken);
            }
            if (parse.GetValue(sql) && !parse.GetValue(dryRun))
            {
                await Console.Error.WriteLineAsync("--sql: only with --dry-run");
                return 2;
            }
            return await CliHost.RunAsync((services, ct) => parse.GetValue(dryRun)
                ? DryRunAsync(services.GetRequiredService<StudyDbContext>(), parse.GetValue(sql), ct)
                : ApplyAsync(services.GetRequiredService<StudyDbContext>(), ct), cancellationToken);
        });
        return command;
    }

    private static async Task<int> ApplyAsync(StudyDbContext db, CancellationToken ct)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        await db.Database.MigrateAsync(ct);
        Console.WriteLine(pending.Count == 0 ? "Database is up to date." : $"Applied {pending.Count} migration(s): {string.Join(", ", pending)}");
        return 0;
    }

    private static async Task<int> DryRunAsync(StudyDbContext db, bool withSql, CancellationToken ct)
    {
        // Asked first, so that an empty database is not queried for a table it lacks (EF Core logs that as an error).
        var hasHistory = await db.GetService<IHistoryRepository>().ExistsAsync(ct);
        var applied = hasHistory ? (await db.Database.GetAppliedMigrationsAsync(ct)).ToList() : [];
        var pending = db.Database.GetMigrations().Except(applied).ToList();
        Console.WriteLine(applied.Count == 0 ? "Applied: none (empty database)." : $"Applied: {applied.Count}, the last {applied[^1]}.");
        if (pending.Count == 0)
        {
            Console.WriteLine("Database is up to date; nothing would change.");
            return 0;
        }
        if (applied.Count > 0 && string.CompareOrdinal(applied[^1], SupportedUpgrades.OldestMigration) < 0)
        {
            Console.WriteLine($"Warning: this database is older than the oldest supported release ({SupportedUpgrades.OldestMigration}): upgrading it in place is untested (docs/operations.md, Upgrade).");
        }
        Console.WriteLine($"Would apply {pending.Count} migration(s) (dry run: nothing applied):");
        foreach (var (id, statements) in MigrationStatements.Count(db, pending))
        {
            Console.WriteLine($"  {id}  {statements} statement(s)");
        }
        if (withSql)
        {
            Console.WriteLine();
            Console.WriteLine(db.GetService<IMigrator>().GenerateScript(applied.Count == 0 ? null : applied[^1], pending[^1]));
        }
        return 0;
    }

    private static async Task<int> WriteScriptAsync(FileInfo file, CancellationToken ct)
    {
        await using var db = DatabaseSetup.CreateContextWithoutServer();
        var text = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
        await File.WriteAllTextAsync(file.FullName, text, ct);
        var count = db.Database.GetMigrations().Count();
        Console.WriteLine($"Wrote the idempotent script of {count} migration(s), up to {db.Database.GetMigrations().Last()}, to {file.Name}.");
        return 0;
    }
}
