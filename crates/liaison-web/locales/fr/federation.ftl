# Les écrans de la fédération : les pairs et la synchronisation avec chacun, et le registre des communications.
peers-title = Pairs
peers-lead = Les membres avec lesquels ce nœud échange, et comment se sont passés les derniers échanges. Une erreur reste affichée jusqu'à une synchronisation réussie ; une alarme jusqu'à ce qu'un opérateur la traite.
peers-none = Aucun pair : ce nœud n'échange avec personne. Un pair s'ajoute avec la commande liaison peer add.
peers-caption = Pairs et synchronisation avec chacun
peers-troubles = À traiter
peers-trouble-sync = { $count ->
    [0] { $member } : la dernière synchronisation a échoué.
    [one] { $member } : la dernière synchronisation a échoué.
   *[other] { $member } : la synchronisation échoue ({ $n } échecs de suite).
}
peers-trouble-alarm = { $count ->
    [one] { $member } : une alarme a été levée contre son registre.
   *[other] { $member } : { $n } alarmes ont été levées contre son registre.
}
peers-col-member = Membre
peers-col-url = Adresse
peers-col-fingerprint = Empreinte de la clé
peers-col-added = Ajouté le
peers-col-last-attempt = Dernière tentative
peers-col-last-success = Dernier succès
peers-col-last-error = Dernière erreur
peers-col-failures = Échecs de suite
peers-col-received = Reçus
peers-col-backlog = En attente
peers-col-alarms = Alarmes
peers-never = jamais
peers-unknown = inconnu
peers-removed = retiré le
peers-error = erreur
peers-ok = OK
ledger-title = Registre des communications
ledger-lead = Chaque communication, accusé de réception, changement d'accord ou de pair et chaque alarme est une entrée de ce journal où l'on ne fait qu'ajouter. Ses points de contrôle signés sont contresignés par des pairs témoins : un historique réécrit se verrait.
ledger-head-title = Le journal aujourd'hui
ledger-size = Entrées
ledger-root = Empreinte racine
ledger-checkpoint-title = Dernier point de contrôle signé
ledger-checkpoint-hint = La note telle que la reçoivent les pairs, avec les lignes de contresignature des témoins.
ledger-checkpoint-none = Aucun point de contrôle n'a encore été signé.
ledger-cosignatures-title = Témoins du point de contrôle de taille { $size }
ledger-cosignatures-caption = Contresignatures des témoins
ledger-cosignatures-none = Aucun témoin n'a encore contresigné ce point de contrôle.
ledger-col-witness = Témoin
ledger-col-cosigned-at = Contresigné le
ledger-checkpoints-title = Points de contrôle
ledger-checkpoints-hint = Les { $shown } derniers points de contrôle, du plus récent au plus ancien ; un est signé à chaque écriture.
ledger-col-size = Taille
ledger-col-signed-at = Signé le
ledger-alarms-title = Alarmes
ledger-alarms-none = Aucune alarme
ledger-col-peer = Membre
ledger-col-alarm-kind = Nature
ledger-col-detail = Détail
ledger-col-at = Quand
ledger-entries-title = Dernières entrées
ledger-entries-none = Le journal est vide.
ledger-col-index = Rang
ledger-col-kind = Nature
ledger-col-concerns = Concerne
ledger-col-summary = Résumé
ledger-entry-damaged = Endommagée : cette entrée ne se décode pas (lancez liaison audit verify)
ledger-kind-incident_recorded = incident enregistré
ledger-kind-disclosed = communication
ledger-kind-received = réception
ledger-kind-receipt_issued = accusé émis
ledger-kind-receipt_received = accusé reçu
ledger-kind-recall_issued = rappel
ledger-kind-attestation_received = attestation reçue
ledger-kind-agreement_changed = accord modifié
ledger-kind-reads = consultations
ledger-kind-peer_changed = pair modifié
ledger-kind-key_rotated = clé renouvelée
ledger-kind-cosigned = contresignature
ledger-kind-alarm = alarme
ledger-change-created = créé
ledger-change-changed = modifié
ledger-change-revoked = révoqué
ledger-change-added = ajouté
ledger-change-removed = retiré
ledger-entry-incident_recorded = { $incident_id } version { $version } enregistré par { $by } (émetteur { $originator }), contenu { $content_sha256 }
ledger-entry-disclosed = { $incident_id } version { $version } ({ $originator }) communiqué à { $recipient } au titre de { $under } ; obligations : { $applied } ; objet { $object_sha256 }
ledger-entry-received = { $incident_id } version { $version } ({ $originator }) reçu de { $from_peer }, objet { $object_sha256 }
ledger-entry-receipt_issued = { $count ->
    [one] Accusé émis pour { $to } : { $count } objet à partir du rang { $first_index }, accusé { $receipt_sha256 }
   *[other] Accusé émis pour { $to } : { $count } objets à partir du rang { $first_index }, accusé { $receipt_sha256 }
}
ledger-entry-receipt_received = { $count ->
    [one] Accusé reçu de { $from } : { $count } objet, accusé { $receipt_sha256 }
   *[other] Accusé reçu de { $from } : { $count } objets, accusé { $receipt_sha256 }
}
ledger-entry-recall_issued = { $incident_id } rappelé à la version { $version } par { $by }
ledger-entry-attestation_received = { $from } atteste avoir masqué { $incident_id } version { $version }, attestation { $attestation_sha256 }
ledger-entry-agreement_changed = Accord { $agreement } version { $version } { $change } par { $by } ; destinataires : { $recipients }
ledger-entry-reads = { $user } a consulté { $incident_ids }
ledger-entry-peer_changed = Pair { $member } { $change } par { $by }, clé { $fingerprint }
ledger-entry-key_rotated = Clé du nœud renouvelée de { $old_fingerprint } à { $new_fingerprint }
ledger-entry-cosigned = Point de contrôle de { $peer } contresigné à la taille { $size }, racine { $root }
ledger-entry-alarm = Alarme concernant { $peer } : { $kind }, { $detail }
ledger-kind-characterised = qualification
ledger-entry-characterised = { $member } a qualifié l'incident { $incident_id } de { $category } (sa qualification v{ $version }), enregistré par { $by }
ledger-kind-fused = fusion
ledger-entry-fused = Comptes rendus de { $members } fusionnés en { $fusion_id } ({ $claims }) ; version convenue v1 { $agreed_sha256 }, par { $by }
ledger-kind-fusion_signed = validation
ledger-entry-fusion_signed = { $member } a validé la version convenue v{ $version } de { $fusion_id } ({ $agreed_sha256 }), par { $by }
ledger-kind-fusion_split = scission
ledger-entry-fusion_split = { $fusion_id } scindé : { $claims } retirés ; parties { $parts }, par { $by }
ledger-kind-zone_recorded = zone
ledger-entry-zone_recorded = Zone { $zone_id } enregistrée (v{ $version }, { $feature_sha256 }), par { $by }
ledger-kind-operation_recorded = opération
ledger-entry-operation_recorded = Opération { $operation_id } de { $member } enregistrée (v{ $version }, { $status }, { $doc_sha256 }), par { $by }
ledger-kind-force_recorded = forces
ledger-entry-force_recorded = Forces de { $member } au { $as_of } enregistrées ({ $force_id }, { $doc_sha256 }), par { $by }
ledger-kind-sector_recorded = secteur
ledger-entry-sector_recorded = Secteur de patrouille { $sector_id } enregistré (v{ $version }, { $doc_sha256 }), par { $by }
ledger-kind-alert_step = alerte
ledger-entry-alert_step = Alerte n° { $alert_id } sur { $incident_id } ({ $member }) : { $state }, par { $by }
