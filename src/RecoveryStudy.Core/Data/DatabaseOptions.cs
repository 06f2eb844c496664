using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace RecoveryStudy.Data;

/// <summary>How the DbContext is configured, shared by the host, the CLI, migrations and tests.</summary>
public static class DatabaseSetup
{
    public const string MigrationsAssembly = "RecoveryStudy.Migrations";

    public static void Configure(DbContextOptionsBuilder options, NpgsqlDataSource dataSource) =>
        options
            .UseNpgsql(dataSource, npgsql => npgsql.MigrationsAssembly(MigrationsAssembly))
            .UseSnakeCaseNamingConvention();

    public static void Configure(DbContextOptionsBuilder options, string connectionString) =>
        options
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly(MigrationsAssembly))
            .UseSnakeCaseNamingConvention();

    public static StudyDbContext CreateContext(string connectionString)
    {
        var builder = new DbContextOptionsBuilder<StudyDbContext>();
        Configure(builder, connectionString);
        return new StudyDbContext(builder.Options);
    }
}
