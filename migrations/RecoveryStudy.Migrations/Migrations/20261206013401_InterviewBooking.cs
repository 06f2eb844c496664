using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace RecoveryStudy.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class InterviewBooking : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "interview_booking",
                table: "waves",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "booking_links",
                columns: table => new
                {
                    hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    interview_task_id = table.Column<long>(type: "bigint", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    revoked_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_booking_links", x => x.hash);
                    table.CheckConstraint("ck_booking_link_hash_length", "length(hash) = 32");
                    table.ForeignKey(
                        name: "fk_booking_links_interview_tasks_interview_task_id",
                        column: x => x.interview_task_id,
                        principalTable: "interview_tasks",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "interview_slots",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    interview_task_id = table.Column<long>(type: "bigint", nullable: false),
                    interviewer_id = table.Column<int>(type: "integer", nullable: false),
                    starts_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ends_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    mode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    booked_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    confirmation_sent_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_interview_slots", x => x.id);
                    table.CheckConstraint("ck_interview_slot_confirmation", "confirmation_sent_at IS NULL OR booked_at IS NOT NULL");
                    table.CheckConstraint("ck_interview_slot_length", "ends_at > starts_at AND ends_at <= starts_at + interval '1 day'");
                    table.CheckConstraint("ck_interview_slot_mode", "mode IN ('in_person', 'phone', 'video')");
                    table.ForeignKey(
                        name: "fk_interview_slots_interview_tasks_interview_task_id",
                        column: x => x.interview_task_id,
                        principalTable: "interview_tasks",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_interview_slots_staff_users_interviewer_id",
                        column: x => x.interviewer_id,
                        principalTable: "staff_users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_booking_links_interview_task_id",
                table: "booking_links",
                column: "interview_task_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_interview_slots_interview_task_id_starts_at",
                table: "interview_slots",
                columns: new[] { "interview_task_id", "starts_at" });

            migrationBuilder.CreateIndex(
                name: "ix_interview_slots_interviewer_id_starts_at",
                table: "interview_slots",
                columns: new[] { "interviewer_id", "starts_at" });

            migrationBuilder.CreateIndex(
                name: "ux_interview_slot_booked_task",
                table: "interview_slots",
                column: "interview_task_id",
                unique: true,
                filter: "booked_at IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "booking_links");

            migrationBuilder.DropTable(
                name: "interview_slots");

            migrationBuilder.DropColumn(
                name: "interview_booking",
                table: "waves");
        }
    }
}
