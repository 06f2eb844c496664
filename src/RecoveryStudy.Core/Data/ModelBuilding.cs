using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RecoveryStudy.Data;

/// <summary>Small helpers the entity configurations share.</summary>
internal static class ModelBuilding
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A check constraint that allows only the given strings in a column.</summary>
    public static void HasAllowedValues<T>(this EntityTypeBuilder<T> entity, string table, string column, IEnumerable<string> values)
        where T : class
    {
        var list = string.Join(", ", values.Select(v => "'" + v + "'"));
        entity.ToTable(t => t.HasCheckConstraint($"ck_{table}_{column}", string.Create(CultureInfo.InvariantCulture, $"{column} IN ({list})")));
    }

    /// <summary>Stores a value as jsonb through System.Text.Json, compared by its serialized form.</summary>
    public static PropertyBuilder<TValue> HasJsonConversion<TValue>(this PropertyBuilder<TValue> property)
        where TValue : class, new()
    {
        var comparer = new ValueComparer<TValue>(
            (a, b) => JsonSerializer.Serialize(a, Json) == JsonSerializer.Serialize(b, Json),
            v => JsonSerializer.Serialize(v, Json).GetHashCode(StringComparison.Ordinal),
            v => JsonSerializer.Deserialize<TValue>(JsonSerializer.Serialize(v, Json), Json)!);
        property
            .HasConversion(
                v => JsonSerializer.Serialize(v, Json),
                s => JsonSerializer.Deserialize<TValue>(s, Json) ?? new TValue())
            .HasColumnType("jsonb")
            .Metadata.SetValueComparer(comparer);
        return property;
    }
}
