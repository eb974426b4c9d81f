# An actor's identifiers in the public registers: SIREN, SIRET, RNA and Wikidata, optional
# (blank for every actor of the report, which gives none). Rules in actors/identifiers.py.

import actors.identifiers
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('actors', '0004_actor_updated_at'),
    ]

    operations = [
        migrations.AddField(
            model_name='actor',
            name='rna',
            field=actors.identifiers.IdentifierField(scheme='rna'),
        ),
        migrations.AddField(
            model_name='actor',
            name='siren',
            field=actors.identifiers.IdentifierField(scheme='siren'),
        ),
        migrations.AddField(
            model_name='actor',
            name='siret',
            field=actors.identifiers.IdentifierField(scheme='siret'),
        ),
        migrations.AddField(
            model_name='actor',
            name='wikidata',
            field=actors.identifiers.IdentifierField(scheme='wikidata'),
        ),
        migrations.AddField(
            model_name='historicalactor',
            name='rna',
            field=actors.identifiers.IdentifierField(scheme='rna'),
        ),
        migrations.AddField(
            model_name='historicalactor',
            name='siren',
            field=actors.identifiers.IdentifierField(scheme='siren'),
        ),
        migrations.AddField(
            model_name='historicalactor',
            name='siret',
            field=actors.identifiers.IdentifierField(scheme='siret'),
        ),
        migrations.AddField(
            model_name='historicalactor',
            name='wikidata',
            field=actors.identifiers.IdentifierField(scheme='wikidata'),
        ),
    ]
