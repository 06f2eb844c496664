using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace RecoveryStudy.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class RelayQuotaAndConnectionSlots : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "relay_connection_slots",
                columns: table => new
                {
                    relay = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    slot = table.Column<int>(type: "integer", nullable: false),
                    held_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    held_until = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_relay_connection_slots", x => new { x.relay, x.slot });
                });

            migrationBuilder.CreateTable(
                name: "relay_permits",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    relay = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    granted_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_relay_permits", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_relay_permits_relay_granted_at",
                table: "relay_permits",
                columns: new[] { "relay", "granted_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "relay_connection_slots");

            migrationBuilder.DropTable(
                name: "relay_permits");
        }
    }
}
