using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using RecoveryStudy.Data;

namespace RecoveryStudy.Web.Cli;

/// <summary>
/// How many SQL statements each migration would run, generated the way EF Core's migrator
/// generates them (its Up operations against its own target model), without touching the database.
/// </summary>
internal static class MigrationStatements
{
    public static IEnumerable<(string Id, int Statements)> Count(StudyDbContext db, IEnumerable<string> ids)
    {
        var assembly = db.GetService<IMigrationsAssembly>();
        var generator = db.GetService<IMigrationsSqlGenerator>();
        var initializer = db.GetService<IModelRuntimeInitializer>();
        var provider = db.Database.ProviderName!;
        foreach (var id in ids)
        {
            var migration = assembly.CreateMigration(assembly.Migrations[id], provider);
            IModel? model = migration.TargetModel;
            if (model is IMutableModel mutable)
            {
                model = mutable.FinalizeModel();
            }
            model = model is null ? null : initializer.Initialize(model, designTime: true, validationLogger: null);
            yield return (id, generator.Generate(migration.UpOperations, model).Count);
        }
    }
}
