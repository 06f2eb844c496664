using Microsoft.EntityFrameworkCore.Design;
using RecoveryStudy.Data;

namespace RecoveryStudy.Migrations;

/// <summary>
/// Lets `dotnet ef migrations add` build the model without a running host. Generating a
/// migration never connects, so the connection string only has to parse.
/// </summary>
public sealed class DesignTimeContextFactory : IDesignTimeDbContextFactory<StudyDbContext>
{
    public StudyDbContext CreateDbContext(string[] args) =>
        DatabaseSetup.CreateContext(Environment.GetEnvironmentVariable("RECOVERYSTUDY_DESIGN_CONNECTION") ?? "Host=127.0.0.1;Database=design");
}
