using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using RecoveryStudy.Data;
using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.Cli;

/// <summary>`migrate --dry-run` changes nothing; `migrate --script` gives the schema `migrate` gives, however often it runs.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class MigrateCommandTests
{
    private static readonly List<string> Migrations = DatabaseSetup.CreateContextWithoutServer().Database.GetMigrations().ToList();

    [Fact]
    public async Task Dry_run_on_an_empty_database_lists_every_migration_and_applies_nothing()
    {
        var empty = await SharedPostgres.CreateEmptyDatabaseAsync();
        try
        {
            var (code, output, _) = await CliRun.RunAsync(empty, null, "migrate", "--dry-run");

            Assert.Equal(0, code);
            Assert.Contains($"Would apply {Migrations.Count} migration(s)", output);
            Assert.All(Migrations, id => Assert.Matches($@"(?m)^  {id}  \d+ statement\(s\)$", output));
            Assert.Equal(0L, await ScalarAsync(empty, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')"));
        }
        finally
        {
            await SharedPostgres.DropDatabaseAsync(empty);
        }
    }

    [Fact]
    public async Task Dry_run_with_sql_prints_the_statements_of_the_pending_migrations_only()
    {
        var database = await SharedPostgres.CreateDatabaseAsync();
        try
        {
            await ExecuteAsync(database, $"DELETE FROM \"__EFMigrationsHistory\" WHERE migration_id = '{Migrations[^1]}'");

            var (code, output, _) = await CliRun.RunAsync(database, null, "migrate", "--dry-run", "--sql");

            Assert.Equal(0, code);
            Assert.Contains($"Applied: {Migrations.Count - 1}, the last {Migrations[^2]}.", output);
            Assert.Contains("Would apply 1 migration(s)", output);
            Assert.Contains($"VALUES ('{Migrations[^1]}'", output);
            Assert.DoesNotContain($"VALUES ('{Migrations[^2]}'", output);
            Assert.Equal(Migrations.Count - 1L, await ScalarAsync(database, "SELECT count(*) FROM \"__EFMigrationsHistory\""));
        }
        finally
        {
            await SharedPostgres.DropDatabaseAsync(database);
        }
    }

    [Fact]
    public async Task Dry_run_warns_about_a_database_older_than_the_oldest_supported_release()
    {
        var empty = await SharedPostgres.CreateEmptyDatabaseAsync();
        try
        {
            await using (var db = DatabaseSetup.CreateContext(empty))
            {
                await db.GetService<IMigrator>().MigrateAsync(Migrations[0]);
            }
            var (_, old, _) = await CliRun.RunAsync(empty, null, "migrate", "--dry-run");
            await using (var db = DatabaseSetup.CreateContext(empty))
            {
                await db.GetService<IMigrator>().MigrateAsync(SupportedUpgrades.OldestMigration);
            }
            var (code, supported, _) = await CliRun.RunAsync(empty, null, "migrate", "--dry-run");

            Assert.Contains("older than the oldest supported release", old);
            Assert.Equal(0, code);
            Assert.DoesNotContain("older than the oldest supported release", supported);
            Assert.Contains($"the last {SupportedUpgrades.OldestMigration}.", supported);
        }
        finally
        {
            await SharedPostgres.DropDatabaseAsync(empty);
        }
    }

    [Fact]
    public async Task Dry_run_on_an_up_to_date_database_says_nothing_would_change()
    {
        var database = await SharedPostgres.CreateDatabaseAsync();
        try
        {
            var (code, output, _) = await CliRun.RunAsync(database, null, "migrate", "--dry-run");

            Assert.Equal(0, code);
            Assert.Contains("nothing would change", output);
        }
        finally
        {
            await SharedPostgres.DropDatabaseAsync(database);
        }
    }

    [Fact]
    public async Task Idempotent_script_run_twice_on_an_empty_database_gives_the_schema_migrate_gives()
    {
        var script = Path.Combine(Path.GetTempPath(), $"rs-migrations-{Guid.NewGuid():N}.sql");
        var empty = await SharedPostgres.CreateEmptyDatabaseAsync();
        var migrated = await SharedPostgres.CreateDatabaseAsync();
        try
        {
            var (code, output, error) = await CliRun.RunAsync(empty, null, "migrate", "--script", script);
            Assert.True(code == 0, error);
            Assert.Contains($"{Migrations.Count} migration(s)", output);
            Assert.Equal(0L, await ScalarAsync(empty, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));

            var first = await OpsScript.PsqlFileAsync(empty, script);
            Assert.True(first.ExitCode == 0, first.Output);
            var expected = await SchemaSnapshot.TakeAsync(migrated);
            Assert.Equal(expected, await SchemaSnapshot.TakeAsync(empty));
            var rows = await TableSnapshot.TakeAsync(empty);

            var second = await OpsScript.PsqlFileAsync(empty, script);
            Assert.True(second.ExitCode == 0, second.Output);
            Assert.Equal(expected, await SchemaSnapshot.TakeAsync(empty));
            Assert.Equal(rows, await TableSnapshot.TakeAsync(empty));
            Assert.Equal(Migrations.Count, (long)(await ScalarAsync(empty, "SELECT count(*) FROM \"__EFMigrationsHistory\""))!);
        }
        finally
        {
            File.Delete(script);
            await SharedPostgres.DropDatabaseAsync(empty);
            await SharedPostgres.DropDatabaseAsync(migrated);
        }
    }

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
