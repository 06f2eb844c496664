using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace RecoveryStudy.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class BounceReports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "bounce_reports",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    received_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    source_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    message_id = table.Column<long>(type: "bigint", nullable: true),
                    participant_id = table.Column<int>(type: "integer", nullable: true),
                    study_id = table.Column<int>(type: "integer", nullable: true),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    detail = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_bounce_reports", x => x.id);
                    table.CheckConstraint("ck_bounce_report_kind", "kind IN ('hard', 'soft', 'complaint', 'auto_reply', 'delivered', 'forged', 'unparsed')");
                    table.ForeignKey(
                        name: "fk_bounce_reports_messages_message_id",
                        column: x => x.message_id,
                        principalTable: "messages",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_bounce_reports_participants_participant_id",
                        column: x => x.participant_id,
                        principalTable: "participants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_bounce_reports_studies_study_id",
                        column: x => x.study_id,
                        principalTable: "studies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_bounce_reports_kind_received_at",
                table: "bounce_reports",
                columns: new[] { "kind", "received_at" });

            migrationBuilder.CreateIndex(
                name: "ix_bounce_reports_message_id",
                table: "bounce_reports",
                column: "message_id");

            migrationBuilder.CreateIndex(
                name: "ix_bounce_reports_participant_id_message_id",
                table: "bounce_reports",
                columns: new[] { "participant_id", "message_id" });

            migrationBuilder.CreateIndex(
                name: "ix_bounce_reports_source_hash",
                table: "bounce_reports",
                column: "source_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_bounce_reports_study_id",
                table: "bounce_reports",
                column: "study_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "bounce_reports");
        }
    }
}
