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
            .UseSnakeCaseNamingConvention()
            .ConfigureWarnings(IntendedFilterWarnings);

    public static void Configure(DbContextOptionsBuilder options, string connectionString) =>
        options
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly(MigrationsAssembly))
            .UseSnakeCaseNamingConvention()
            .ConfigureWarnings(IntendedFilterWarnings);

    // A site-limited member's hidden participants (StudyDbContext.LimitParticipants) are meant to hide
    // their invitations, anchors and contact details in joins too: that is what EF Core warns of.
    private static void IntendedFilterWarnings(Microsoft.EntityFrameworkCore.Diagnostics.WarningsConfigurationBuilder warnings) =>
        warnings.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.PossibleIncorrectRequiredNavigationWithQueryFilterInteractionWarning);

    /// <summary>
    /// Outside production two of EF Core's query warnings are errors, so that the tests find the query:
    /// one that loads more than one collection without saying whether it is one statement
    /// (<c>AsSingleQuery</c>: the collections' rows multiply) or one per collection (<c>AsSplitQuery</c>),
    /// and one that takes or skips rows without an order (which rows come back is then the server's
    /// choice). In production they stay logged warnings rather than refused pages.
    /// </summary>
    public static DbContextOptionsBuilder ThrowOnQueryWarnings(this DbContextOptionsBuilder options) =>
        options.ConfigureWarnings(warnings => warnings.Throw(
            Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.MultipleCollectionIncludeWarning,
            Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.RowLimitingOperationWithoutOrderByWarning));

    /// <summary>
    /// The data source of the host, the CLI, the benchmarks and the tests. Statements run twice or
    /// more on a connection are prepared (Npgsql's automatic preparation, unless the connection
    /// string sets its own Max Auto Prepare): the dispatcher's claims and outcome writes run thousands
    /// of times a day, and parsing and planning them each time cost the database about as much as
    /// running them (bench/README.md).
    /// </summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
            builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
        }
        return builder.Build();
    }

    /// <summary>
    /// The data source of the web host's EF Core contexts: a pool of its own whose connections are
    /// given back without Npgsql's reset (<c>No Reset On Close</c>). The reset prepends five statements
    /// (RESET ALL, CLOSE ALL, UNLISTEN, advisory unlocks, DISCARD) to the next command of every rented
    /// connection, about a tenth of a participant page view's cost (bench/README.md). Nothing done
    /// through a context leaves state in its session: no session-level SET, LISTEN, WITH HOLD cursor,
    /// session advisory lock or temporary table. The dispatcher's outcome writes do set session
    /// settings, on connections of <see cref="CreateDataSource"/>, which keeps the reset.
    /// </summary>
    public static NpgsqlDataSource CreateContextDataSource(string connectionString) =>
        CreateDataSource(new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true }.ConnectionString);

    public static StudyDbContext CreateContext(string connectionString)
    {
        var builder = new DbContextOptionsBuilder<StudyDbContext>();
        Configure(builder, connectionString);
        // Tests and benchmarks: never a production process.
        builder.ThrowOnQueryWarnings();
        return new StudyDbContext(builder.Options);
    }

    /// <summary>A context that never connects: for what needs only the model and the migrations (the SQL script).</summary>
    public static StudyDbContext CreateContextWithoutServer()
    {
        var builder = new DbContextOptionsBuilder<StudyDbContext>()
            .UseNpgsql(npgsql => npgsql.MigrationsAssembly(MigrationsAssembly))
            .UseSnakeCaseNamingConvention();
        return new StudyDbContext(builder.Options);
    }
}
