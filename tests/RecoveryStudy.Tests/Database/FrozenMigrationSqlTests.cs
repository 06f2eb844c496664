using System.Text.RegularExpressions;
using RecoveryStudy.Tests.Infrastructure;

namespace RecoveryStudy.Tests.Database;

/// <summary>
/// A migration's SQL is frozen text inside that migration: a shared constant edited later would
/// silently change what an old migration does on a fresh database but not on an upgraded one.
/// </summary>
public sealed partial class FrozenMigrationSqlTests
{
    [Fact]
    public void Every_migration_runs_only_sql_written_in_its_own_file()
    {
        var folder = Path.Combine(Path.GetDirectoryName(Seeds.Folder)!, "migrations", "RecoveryStudy.Migrations", "Migrations");
        var files = Directory.GetFiles(folder, "*.cs")
            .Where(f => !f.EndsWith(".Designer.cs", StringComparison.Ordinal) && !f.EndsWith("ModelSnapshot.cs", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(files);

        var borrowed = new List<string>();
        foreach (var file in files)
        {
            var source = File.ReadAllText(file);
            foreach (Match call in SqlArgument().Matches(source))
            {
                var name = call.Groups["name"].Value;
                if (name.Contains('.', StringComparison.Ordinal) || !Regex.IsMatch(source, $@"const string {name}\s*="))
                {
                    borrowed.Add($"{Path.GetFileName(file)}: migrationBuilder.Sql({name})");
                }
            }
        }
        Assert.Empty(borrowed);
    }

    // migrationBuilder.Sql(...) whose first argument is a name rather than a string literal.
    [GeneratedRegex(@"migrationBuilder\.Sql\(\s*(?<name>[A-Za-z_@][\w.:]*)\s*[,)]")]
    private static partial Regex SqlArgument();
}
