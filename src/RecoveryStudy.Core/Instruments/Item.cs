using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecoveryStudy.Data;

namespace RecoveryStudy.Instruments;

/// <summary>
/// One question (or a section heading) of an instrument version. <see cref="Code"/> is the
/// variable name analysts see; it is stable across versions.
/// </summary>
public class Item
{
    public int Id { get; set; }
    public int InstrumentVersionId { get; set; }
    public required string Code { get; set; }
    public int Position { get; set; }
    public required string Type { get; set; }
    public LocalizedText Label { get; set; } = new();
    public LocalizedText Help { get; set; } = new();
    public bool Required { get; set; }

    /// <summary>Bounds: the scale ends of a rating, the range of a number, the length of a text.</summary>
    public decimal? Min { get; set; }
    public decimal? Max { get; set; }

    /// <summary>Show this item only when the earlier item <see cref="ShowIfItemCode"/> has one of these codes.</summary>
    public string? ShowIfItemCode { get; set; }
    public int[]? ShowIfCodes { get; set; }

    public List<ItemOption> Options { get; set; } = [];
}

/// <summary>A choice of an item, with the numeric code stored in answers.</summary>
public class ItemOption
{
    public int Id { get; set; }
    public int ItemId { get; set; }
    public int Code { get; set; }
    public int Position { get; set; }
    public LocalizedText Label { get; set; } = new();
}

internal sealed class ItemConfiguration : IEntityTypeConfiguration<Item>
{
    public void Configure(EntityTypeBuilder<Item> entity)
    {
        entity.HasIndex(i => new { i.InstrumentVersionId, i.Code }).IsUnique();
        entity.Property(i => i.Code).HasMaxLength(64);
        entity.Property(i => i.Type).HasMaxLength(32);
        entity.Property(i => i.ShowIfItemCode).HasMaxLength(64);
        entity.Property(i => i.Label).HasJsonConversion();
        entity.Property(i => i.Help).HasJsonConversion();
        entity.HasAllowedValues("item", "type", ItemType.All);
        entity.HasOne<InstrumentVersion>().WithMany(v => v.Items).HasForeignKey(i => i.InstrumentVersionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ItemOptionConfiguration : IEntityTypeConfiguration<ItemOption>
{
    public void Configure(EntityTypeBuilder<ItemOption> entity)
    {
        entity.HasIndex(o => new { o.ItemId, o.Code }).IsUnique();
        entity.Property(o => o.Label).HasJsonConversion();
        entity.HasOne<Item>().WithMany(i => i.Options).HasForeignKey(o => o.ItemId).OnDelete(DeleteBehavior.Cascade);
    }
}
