"""What a household can offer starts as "not yet discussed"; a place to record why Stage 2
started late (issue 20, item 4).

Until now a new household was saved with an offer nobody chose: up to 1 child aged 0 to 4, no
sibling group, health needs "Mild", disability "None", developmental uncertainty "Mild",
contact "Letterbox", and the boy-or-girl wish "Either" (stored as ""). From now on each of these
may be empty, meaning "not yet discussed", and family finding treats empty as unknown.

Existing rows keep their values. A default that nobody chose cannot be told apart from the
same value chosen on purpose: the form showed the default pre-selected, so the saved value,
the history row and the audit row are the same either way. Turning every "Mild" into "not
yet discussed" would wipe real assessments, so nothing is blanked; family finders review old
households' offers as they meet them.

The boy-or-girl wish "Either" was stored as "", which now means "not yet discussed": existing
"" rows (and their history) become "A" (Either), so they keep saying what they said before
(migration 0006, on its own: PostgreSQL refuses to alter a table in the transaction that
updated its rows).
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('adopters', '0004_child_needs_for_family_finding'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='household',
            name='household_age_range_in_order',
        ),
        migrations.RemoveConstraint(
            model_name='household',
            name='household_wants_a_child',
        ),
        migrations.AddField(
            model_name='historicalhousehold',
            name='stage2_late_reason',
            field=models.TextField(blank=True, help_text='Only when Stage 2 started more than 6 months after Stage 1 ended: why (for example, the applicants paused for a house move). No names.', verbose_name='why Stage 2 started late'),
        ),
        migrations.AddField(
            model_name='household',
            name='stage2_late_reason',
            field=models.TextField(blank=True, help_text='Only when Stage 2 started more than 6 months after Stage 1 ended: why (for example, the applicants paused for a house move). No names.', verbose_name='why Stage 2 started late'),
        ),
        migrations.AlterField(
            model_name='historicalhousehold',
            name='children_wanted',
            field=models.PositiveSmallIntegerField(blank=True, help_text='At one time, as one family. Leave empty if not yet discussed.', null=True, verbose_name='up to how many children'),
        ),
        migrations.AlterField(
            model_name='historicalhousehold',
            name='contact',
            field=models.PositiveSmallIntegerField(blank=True, choices=[(0, 'None'), (1, 'Letterbox (indirect)'), (2, 'Direct contact with brothers and sisters'), (3, 'Direct contact with birth parents or relatives')], null=True, verbose_name='contact they can support'),
        ),
        migrations.AlterField(
            model_name='historicalhousehold',
            name='developmental_uncertainty',
            field=models.PositiveSmallIntegerField(blank=True, choices=[(0, 'None'), (1, 'Mild'), (2, 'Moderate'), (3, 'Significant')], null=True, verbose_name='developmental uncertainty they can accept'),
        ),
        migrations.AlterField(
            model_name='historicalhousehold',
            name='disability_needs',
            field=models.PositiveSmallIntegerField(blank=True, choices=[(0, 'None'), (1, 'Mild'), (2, 'Moderate'), (3, 'Significant')], null=True, verbose_name='disability they can meet'),
        ),
        migrations.AlterField(
            model_name='historicalhousehold',
            name='health_needs',
            field=models.PositiveSmallIntegerField(blank=True, choices=[(0, 'None'), (1, 'Mild'), (2, 'Moderate'), (3, 'Significant')], null=True, verbose_name='health needs they can meet'),
        ),
        migrations.AlterField(
            model_name='historicalhousehold',
            name='oldest_age',
            field=models.PositiveSmallIntegerField(blank=True, help_text='Leave empty if not yet discussed.', null=True, verbose_name='oldest age (years)'),
        ),
        migrations.AlterField(
            model_name='historicalhousehold',
            name='sex_preference',
            field=models.CharField(blank=True, choices=[('A', 'Either'), ('M', 'Boy'), ('F', 'Girl')], max_length=1, verbose_name='boy or girl'),
        ),
        migrations.AlterField(
            model_name='historicalhousehold',
            name='sibling_group',
            field=models.BooleanField(blank=True, null=True, verbose_name='can take a sibling group'),
        ),
        migrations.AlterField(
            model_name='historicalhousehold',
            name='youngest_age',
            field=models.PositiveSmallIntegerField(blank=True, help_text='0 for a baby. Leave empty if not yet discussed.', null=True, verbose_name='youngest age (years)'),
        ),
        migrations.AlterField(
            model_name='household',
            name='children_wanted',
            field=models.PositiveSmallIntegerField(blank=True, help_text='At one time, as one family. Leave empty if not yet discussed.', null=True, verbose_name='up to how many children'),
        ),
        migrations.AlterField(
            model_name='household',
            name='contact',
            field=models.PositiveSmallIntegerField(blank=True, choices=[(0, 'None'), (1, 'Letterbox (indirect)'), (2, 'Direct contact with brothers and sisters'), (3, 'Direct contact with birth parents or relatives')], null=True, verbose_name='contact they can support'),
        ),
        migrations.AlterField(
            model_name='household',
            name='developmental_uncertainty',
            field=models.PositiveSmallIntegerField(blank=True, choices=[(0, 'None'), (1, 'Mild'), (2, 'Moderate'), (3, 'Significant')], null=True, verbose_name='developmental uncertainty they can accept'),
        ),
        migrations.AlterField(
            model_name='household',
            name='disability_needs',
            field=models.PositiveSmallIntegerField(blank=True, choices=[(0, 'None'), (1, 'Mild'), (2, 'Moderate'), (3, 'Significant')], null=True, verbose_name='disability they can meet'),
        ),
        migrations.AlterField(
            model_name='household',
            name='health_needs',
            field=models.PositiveSmallIntegerField(blank=True, choices=[(0, 'None'), (1, 'Mild'), (2, 'Moderate'), (3, 'Significant')], null=True, verbose_name='health needs they can meet'),
        ),
        migrations.AlterField(
            model_name='household',
            name='oldest_age',
            field=models.PositiveSmallIntegerField(blank=True, help_text='Leave empty if not yet discussed.', null=True, verbose_name='oldest age (years)'),
        ),
        migrations.AlterField(
            model_name='household',
            name='sex_preference',
            field=models.CharField(blank=True, choices=[('A', 'Either'), ('M', 'Boy'), ('F', 'Girl')], max_length=1, verbose_name='boy or girl'),
        ),
        migrations.AlterField(
            model_name='household',
            name='sibling_group',
            field=models.BooleanField(blank=True, null=True, verbose_name='can take a sibling group'),
        ),
        migrations.AlterField(
            model_name='household',
            name='youngest_age',
            field=models.PositiveSmallIntegerField(blank=True, help_text='0 for a baby. Leave empty if not yet discussed.', null=True, verbose_name='youngest age (years)'),
        ),
        migrations.AddConstraint(
            model_name='household',
            constraint=models.CheckConstraint(condition=models.Q(('oldest_age__isnull', True), ('youngest_age__isnull', True), ('oldest_age__gte', models.F('youngest_age')), _connector='OR'), name='household_age_range_in_order'),
        ),
        migrations.AddConstraint(
            model_name='household',
            constraint=models.CheckConstraint(condition=models.Q(('children_wanted__isnull', True), ('children_wanted__gte', 1), _connector='OR'), name='household_wants_a_child'),
        ),
    ]
