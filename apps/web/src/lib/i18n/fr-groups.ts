/**
 * French messages of breakout groups and of the tools around the diagnostic: undo/redo, per-entry history and
 * provenance, exports, the groups page and a group's workspace, the control room, consolidation, import and the
 * panorama. Wired into `fr` as `fr.groups`.
 */

/** French plural: 0 and 1 take the singular. */
const plural = (n: number, one: string, many: string): string => (n <= 1 ? one : many);
const nf = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });
const nf0 = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });
const pf = new Intl.NumberFormat('fr-FR', { style: 'percent', maximumFractionDigits: 0 });
const dateTime = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'medium', timeStyle: 'short' });
const time = new Intl.DateTimeFormat('fr-FR', { timeStyle: 'short' });
const num = (n: number): string => nf.format(n);
const count = (n: number, one: string, many: string): string => `${nf0.format(n)} ${plural(n, one, many)}`;

export const groupsFr = {
  formatNumber: num,
  formatInteger: (n: number) => nf0.format(n),
  formatPercent: (ratio: number) => pf.format(ratio),
  formatDateTime: (iso: string) => {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
  },
  formatTime: (iso: string) => {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? iso : time.format(d);
  },
  /** "il y a 2 min" from an ISO time and the current time. */
  ago: (iso: string, now: number) => {
    const t = Date.parse(iso);
    if (Number.isNaN(t)) return iso;
    const s = Math.max(0, Math.round((now - t) / 1000));
    if (s < 45) return 'à l’instant';
    const min = Math.round(s / 60);
    if (min < 60) return `il y a ${min} min`;
    const h = Math.floor(min / 60);
    if (h < 24) return `il y a ${h} h${min % 60 ? ` ${String(min % 60).padStart(2, '0')}` : ''}`;
    return `le ${dateTime.format(new Date(t))}`;
  },

  nav: {
    groups: 'Groupes',
    controlRoom: 'Salle de contrôle',
    consolidation: 'Consolidation',
    import: 'Import',
    panorama: 'Panorama',
  },

  common: {
    retry: 'Réessayer',
    refresh: 'Actualiser',
    notAvailable: 'Cette fonction n’est pas encore disponible sur ce serveur.',
    backToWorkshop: 'Retour au diagnostic de l’atelier',
    saving: 'Enregistrement…',
  },

  sync: {
    connectedObserver: 'Connecté — lecture seule, en direct',
    withPending: (label: string, n: number) =>
      `${label} — ${nf0.format(n)} ${plural(n, 'modification en attente, conservée', 'modifications en attente, conservées')} sur cet appareil`,
    offlineReady: 'Cette page peut être rouverte sans connexion sur cet appareil.',
    pendingHintStored:
      'Vos modifications sont enregistrées sur cet appareil : elles seront envoyées dès le retour de la connexion, même si vous fermez ou rechargez la page.',
    pendingHintMemory:
      'Vos modifications sont conservées dans cette page et seront envoyées dès le retour de la connexion. Ne fermez pas l’onglet.',
    beforeUnload:
      'Des modifications n’ont pas encore été envoyées au serveur. Elles restent sur cet appareil et partiront à la prochaine ouverture de cette page avec une connexion.',
  },

  undo: {
    label: 'Annuler ou rétablir mes modifications',
    undo: 'Annuler',
    redo: 'Rétablir',
    undoTitle: 'Annuler ma dernière modification (Ctrl+Z)',
    redoTitle: 'Rétablir la modification annulée (Ctrl+Maj+Z)',
    hint: 'Seules vos propres modifications sont annulées, jamais celles des autres participants.',
    nothing: 'Rien à annuler.',
    nothingToRedo: 'Rien à rétablir.',
    describe: (kind: 'add' | 'update' | 'remove', title: string) => {
      const what = title ? ` « ${title} »` : '';
      return kind === 'add' ? `ajout de l’entrée${what}` : kind === 'remove' ? `suppression de l’entrée${what}` : `modification de l’entrée${what}`;
    },
    undone: (what: string) => `Annulé : ${what}.`,
    redone: (what: string) => `Rétabli : ${what}.`,
  },

  history: {
    toggle: 'Historique',
    toggleLabel: (title: string) => `Historique de l’entrée « ${title} »`,
    heading: 'Historique des modifications',
    loading: 'Chargement de l’historique…',
    empty: 'Aucune modification enregistrée pour cette entrée.',
    failed: (message: string) => `L’historique n’a pas pu être chargé : ${message}`,
    created: (author: string) => `${author} a créé l’entrée`,
    updated: (author: string) => `${author} a modifié`,
    deleted: (author: string) => `${author} a supprimé l’entrée`,
    emptyValue: '(vide)',
    change: (field: string, before: string, after: string) => `${field} : ${before} → ${after}`,
    changeBefore: 'avant',
    changeAfter: 'après',
  },

  provenance: {
    label: 'Provenance',
    group: (group: string, author: string) => `issu du groupe ${group}${author ? ` — ${author}` : ''}`,
    import: (file: string, row: string) => `importé de ${file}${row ? ` (ligne ${row})` : ''}`,
  },

  exports: {
    heading: 'Exporter ce diagnostic',
    formats: { csv: 'CSV', xlsx: 'Excel (XLSX)', ods: 'OpenDocument (ODS)', pdf: 'PDF' } as Record<string, string>,
    linkLabel: (format: string) => `Télécharger le diagnostic au format ${format}`,
  },

  manage: {
    pageTitle: (workshop: string) => `Groupes — ${workshop} — Agora COP`,
    title: 'Groupes de travail',
    intro:
      'Les groupes de travail rédigent chacun leur partie du diagnostic, sur un thème (secteurs ou leviers). Leurs entrées rejoignent le diagnostic de l’atelier à la consolidation.',
    myGroupHeading: 'Mon groupe',
    myGroupNone: 'Vous n’êtes dans aucun groupe pour l’instant : l’animation de l’atelier vous en attribuera un.',
    myGroupIs: (name: string) => `Vous faites partie du groupe « ${name} ».`,
    goToGroup: 'Aller à l’espace du groupe',
    goToGroupLabel: (name: string) => `Aller à l’espace du groupe « ${name} »`,
    listHeading: 'Groupes de l’atelier',
    empty: 'Aucun groupe pour l’instant.',
    theme: 'Thème',
    themeAny: 'Tous les leviers (pas de thème)',
    themeSectors: 'Secteurs',
    themeLevers: 'Leviers',
    membersLabel: 'Membres',
    membersCount: (n: number) => count(n, 'membre', 'membres'),
    noMembers: 'Personne pour l’instant.',
    open: 'Ouvrir',
    openLabel: (name: string) => `Ouvrir l’espace du groupe « ${name} »`,

    createHeading: 'Créer un groupe',
    editHeading: (name: string) => `Modifier le groupe « ${name} »`,
    name: 'Nom du groupe',
    nameHint: 'Par exemple « Mobilités » ou « Bâtiments ». Entre 2 et 80 caractères.',
    nameRequired: 'Indiquez le nom du groupe (2 caractères au moins).',
    nameTooLong: 'Le nom du groupe doit faire au plus 80 caractères.',
    sectorsLegend: 'Secteurs du thème',
    sectorsHint: 'Facultatif : le groupe travaille sur tous les leviers de ces secteurs.',
    leversLegend: 'Leviers du thème',
    leversHint: 'Facultatif : des leviers précis, en plus des secteurs cochés. Sans secteur ni levier, le groupe peut traiter tous les leviers.',
    leversShow: (n: number) => `Choisir des leviers précis (${n} ${plural(n, 'coché', 'cochés')})`,
    create: 'Créer le groupe',
    creating: 'Création…',
    created: (name: string) => `Groupe « ${name} » créé.`,
    edit: 'Modifier',
    editLabel: (name: string) => `Modifier le groupe « ${name} »`,
    save: 'Enregistrer le groupe',
    saved: (name: string) => `Groupe « ${name} » enregistré.`,
    cancel: 'Annuler',
    delete: 'Supprimer',
    deleteLabel: (name: string) => `Supprimer le groupe « ${name} »`,
    deleteConfirm: (name: string) => `Supprimer le groupe « ${name} » ? Ses membres n’appartiendront plus à aucun groupe.`,
    deleteYes: 'Oui, supprimer',
    deleteNo: 'Non, garder',
    deleted: (name: string) => `Groupe « ${name} » supprimé.`,
    deleteRefused: (message: string) => `Le groupe n’a pas été supprimé : ${message}.`,

    assignHeading: 'Répartir les personnes',
    assignIntro: 'Cochez des personnes puis choisissez leur groupe. Leur espace de travail suit immédiatement.',
    assignCaption: 'Personnes de l’atelier et leur groupe',
    colSelect: 'Sélection',
    colName: 'Nom',
    colOrganisation: 'Organisation',
    colRole: 'Rôle',
    colGroup: 'Groupe',
    selectMember: (name: string) => `Sélectionner ${name}`,
    selectAll: 'Tout sélectionner',
    noGroup: 'Sans groupe',
    target: 'Groupe de destination',
    assign: 'Affecter les personnes sélectionnées',
    assigning: 'Affectation…',
    assigned: (n: number, group: string | null) =>
      `${count(n, 'personne affectée', 'personnes affectées')} ${group ? `au groupe « ${group} »` : 'à aucun groupe'}.`,
    selectAtLeastOne: 'Sélectionnez au moins une personne.',
    membersUnavailable: (message: string) => `La liste des personnes est indisponible : ${message}`,

    invitationHeading: 'Lien d’invitation du groupe',
    invitationLabel: (name: string) => `Groupe ${name}`,
    invitationCreate: 'Créer un lien d’invitation pour ce groupe',
    invitationCreateLabel: (name: string) => `Créer un lien d’invitation pour le groupe « ${name} »`,
    invitationCreating: 'Création du lien…',
    invitationCreated: (name: string) => `Lien d’invitation du groupe « ${name} » créé : les personnes qui l’ouvrent rejoignent ce groupe.`,
    invitationHint: 'Les personnes qui rejoignent l’atelier par ce lien sont placées dans ce groupe, comme participantes.',
    invitationLink: 'Lien d’invitation',
    invitationCopyLabel: (name: string) => `Copier le lien d’invitation du groupe « ${name} »`,
    invitationQrAlt: (name: string, url: string) => `QR code du lien d’invitation du groupe « ${name} » : ${url}`,
    invitationExpires: (date: string) => `Valable jusqu’au ${date}.`,
  },

  workspace: {
    pageTitle: (group: string, workshop: string) => `Groupe ${group} — ${workshop} — Agora COP`,
    title: (name: string) => `Groupe « ${name} »`,
    backToGroups: 'Tous les groupes',
    themeHeading: 'Thème du groupe',
    notFound: 'Ce groupe n’existe pas ou a été supprimé.',
    intro: 'Ce diagnostic est celui du groupe : ses entrées rejoindront le diagnostic de l’atelier à la consolidation.',
    allLevers: 'Proposer tous les leviers du catalogue (pas seulement ceux du thème)',
    readOnlyMember: 'Vous pouvez lire le diagnostic de ce groupe ; seuls ses membres et l’animation peuvent le modifier.',
    lookIn:
      'Vous regardez ce groupe sans y apparaître : lecture seule, les participants ne voient pas votre présence et ne sont pas dérangés.',
    lookInBack: 'Retour à la salle de contrôle',
    presenceHidden: 'Votre présence n’est pas affichée dans ce groupe.',
  },

  control: {
    pageTitle: (workshop: string) => `Salle de contrôle — ${workshop} — Agora COP`,
    title: 'Salle de contrôle',
    intro:
      'Tous les groupes d’un coup d’œil, en direct : qui est là, combien d’entrées, lesquelles sont avancées, quels leviers sont couverts. « Regarder » ouvre un groupe en lecture seule, sans y apparaître.',
    live: {
      label: 'Liaison en direct',
      connected: 'En direct',
      connecting: 'Connexion…',
      offline: 'Hors ligne — les informations affichées peuvent être anciennes',
    },
    views: 'Affichage',
    cards: 'Cartes',
    table: 'Tableau',
    empty: 'Aucun groupe pour l’instant.',
    createGroups: 'Créer des groupes',
    present: 'Présents',
    presentCount: (n: number) => count(n, 'personne présente', 'personnes présentes'),
    nobody: 'Personne',
    entries: 'Entrées',
    entriesCount: (n: number) => count(n, 'entrée', 'entrées'),
    byStatus: 'Par statut',
    levers: 'Leviers couverts',
    leversCount: (n: number, total: number | null) =>
      total !== null ? `${nf0.format(n)} sur ${nf0.format(total)} ${plural(total, 'levier du thème', 'leviers du thème')}` : count(n, 'levier', 'leviers'),
    lastActivity: 'Dernière activité',
    never: 'aucune modification',
    look: 'Regarder',
    lookLabel: (name: string) => `Regarder le groupe « ${name} » sans y apparaître`,
    tableCaption: 'Activité des groupes (mise à jour en direct)',
    colGroup: 'Groupe',
    updatedEvery: 'Les durées sont mises à jour toutes les 30 secondes.',
  },

  consolidation: {
    pageTitle: (workshop: string) => `Consolidation — ${workshop} — Agora COP`,
    title: 'Consolidation',
    intro:
      'Rassemblez les entrées des groupes dans le diagnostic de l’atelier. Les doublons probables sont présentés côte à côte : fusionnez-les en gardant une entrée, ou gardez-les toutes. Chaque entrée garde sa provenance (groupe et auteur).',
    loading: 'Calcul du plan de consolidation…',
    unavailable: 'La consolidation n’est pas encore disponible sur ce serveur (le service répond « introuvable »). Réessayez plus tard.',
    failed: (message: string) => `Le plan n’a pas pu être calculé : ${message}`,
    recompute: 'Recalculer le plan',
    additionsHeading: 'Entrées à ajouter',
    additionsCount: (n: number) => count(n, 'entrée à ajouter', 'entrées à ajouter'),
    groupAdditions: (group: string, n: number) => `Groupe « ${group} » — ${count(n, 'entrée', 'entrées')}`,
    noAdditions: 'Aucune nouvelle entrée dans les groupes.',
    duplicatesHeading: 'Doublons probables',
    duplicatesIntro: 'Pour chaque ensemble, choisissez l’entrée à garder (les autres sont fusionnées dans celle-ci) ou gardez-les toutes.',
    noDuplicates: 'Aucun doublon probable.',
    cluster: (i: number, n: number) => `Ensemble ${i} — ${count(n, 'entrée', 'entrées')}`,
    reason: 'Motif',
    keepAll: 'Garder toutes',
    keepAllHint: 'Toutes les entrées de cet ensemble sont gardées telles quelles.',
    merge: 'Fusionner (garder celle-ci)',
    mergeLabel: (title: string, source: string) => `Fusionner en gardant « ${title} » (${source})`,
    plenary: 'Diagnostic de l’atelier',
    fromGroup: (name: string) => `Groupe « ${name} »`,
    lever: 'Levier',
    territory: 'Territoire',
    titleField: 'Intitulé',
    description: 'Description',
    author: 'Auteur',
    group: 'Provenance',
    status: 'Statut',
    apply: 'Consolider dans le diagnostic',
    applying: 'Consolidation…',
    nothing: 'Rien à consolider pour l’instant : les groupes n’ont pas d’entrée nouvelle.',
    result: (added: number, merged: number) =>
      `Consolidation terminée : ${count(added, 'entrée ajoutée', 'entrées ajoutées')} au diagnostic, ${count(merged, 'doublon fusionné', 'doublons fusionnés')}.`,
    seeDiagnostic: 'Voir le diagnostic de l’atelier',
    warningsTitle: 'Certaines fusions n’ont pas pu être faites : toutes les entrées concernées ont été gardées.',
  },

  import: {
    pageTitle: (workshop: string) => `Import — ${workshop} — Agora COP`,
    title: 'Importer des actions',
    intro:
      'Importez un tableau d’actions (CSV ou XLSX ; depuis LibreOffice, enregistrez en XLSX ou CSV) : vérifiez l’aperçu, indiquez quelle colonne correspond à quel champ, complétez les valeurs manquantes, puis importez les lignes valides. Rien n’est écrit avant la dernière étape.',
    steps: ['Fichier', 'Correspondance', 'Vérification', 'Import'],
    stepLabel: 'Étapes de l’import',
    fileHeading: '1. Choisir un fichier',
    file: 'Fichier à importer',
    fileHint: 'CSV ou XLSX, 5 Mo au plus. La première ligne doit contenir les titres des colonnes.',
    fileRequired: 'Choisissez un fichier.',
    badType: (name: string) => `« ${name} » n’est pas un fichier CSV ou XLSX.`,
    tooLarge: 'Le fichier dépasse 5 Mo : découpez-le en plusieurs fichiers.',
    empty: 'Le fichier est vide.',
    read: 'Lire le fichier',
    reading: 'Lecture du fichier…',
    unreadable: (message: string) => `Le fichier n’a pas pu être lu : ${message}`,
    unavailable: 'L’import n’est pas encore disponible sur ce serveur (le service répond « introuvable »). Réessayez plus tard.',
    previewHeading: '2. Aperçu et correspondance des colonnes',
    previewCaption: (file: string, shown: number, total: number) =>
      `Aperçu de « ${file} » : ${nf0.format(shown)} ${plural(shown, 'première ligne', 'premières lignes')} sur ${count(total, 'ligne', 'lignes')}`,
    column: (i: number, name: string) => (name ? name : `Colonne ${i + 1}`),
    mappingLegend: 'Quelle colonne remplit quel champ ?',
    mappingHint: 'Les correspondances proposées par le serveur sont pré-remplies. Un champ sans colonne prend la valeur par défaut ci-dessous, s’il en a une.',
    notImported: '— Aucune colonne —',
    defaultsLegend: 'Valeurs par défaut',
    defaultsHint: 'Utilisées pour les lignes où la colonne est absente ou vide.',
    noDefault: '— Pas de valeur par défaut —',
    target: 'Importer dans',
    targetPlenary: 'Le diagnostic de l’atelier',
    targetGroup: (name: string) => `Le diagnostic du groupe « ${name} »`,
    validate: 'Vérifier les lignes',
    validating: 'Vérification…',
    checkHeading: '3. Vérification',
    validCount: (valid: number, total: number) => `${count(valid, 'ligne valide', 'lignes valides')} sur ${nf0.format(total)}.`,
    errorsCount: (n: number) => count(n, 'problème', 'problèmes'),
    errorsCaption: 'Lignes refusées et pourquoi',
    colRow: 'Ligne',
    colField: 'Champ',
    colMessage: 'Problème',
    allValid: 'Toutes les lignes sont valides.',
    commit: (n: number) => `Importer ${count(n, 'ligne valide', 'lignes valides')}`,
    committing: 'Import…',
    nothingValid: 'Aucune ligne valide : corrigez le fichier ou la correspondance des colonnes.',
    done: (n: number) => `${count(n, 'entrée importée', 'entrées importées')}.`,
    seeDiagnostic: 'Voir le diagnostic',
    another: 'Importer un autre fichier',
    cancel: 'Annuler',
    cancelHint: 'Annuler ne modifie rien : aucune ligne n’est écrite avant « Importer ».',
    mappingChanged: 'La correspondance a changé : vérifiez de nouveau les lignes avant d’importer.',
    fields: {
      lever: 'Levier',
      territory: 'Territoire',
      organisation: 'Organisation porteuse',
      status: 'Statut',
      title: 'Intitulé de l’action',
      description: 'Description',
      effectValue: 'Effet (valeur)',
      effectUnit: 'Effet (unité)',
      effectKtCO2e: 'Effet en ktCO₂e par an',
      yearStart: 'Année de début',
      yearEnd: 'Année de fin',
      source: 'Source ou lien',
    } as Record<string, string>,
  },

  panorama: {
    pageTitle: (workshop: string) => `Panorama — ${workshop} — Agora COP`,
    title: 'Panorama des leviers et écart aux objectifs',
    intro:
      'Les objectifs 2030 de la région par levier de la planification écologique, et la part déjà couverte par les actions du diagnostic de l’atelier.',
    caveatLabel: 'Avertissement',
    source: (name: string, date: string, licence: string) => `Source : ${name}${date ? ` (${date})` : ''}. Licence : ${licence}.`,
    catalogueMissing: 'Le catalogue des leviers de cette région est indisponible : le panorama ne peut pas être affiché.',
    loadingEntries: 'Chargement des entrées du diagnostic…',
    attenuationHeading: 'Panorama atténuation : objectifs 2030 par secteur',
    attenuationDesc:
      'Surface de chaque case proportionnelle à l’objectif 2030 du levier, en ktCO₂e évitées par rapport à 2019. Les cases sont regroupées par secteur. Activez une case pour afficher son détail.',
    biodiversityHeading: 'Panorama biodiversité et ressources',
    biodiversityDesc:
      'Ces leviers n’ont pas d’objectif en ktCO₂e : la surface de chaque case est proportionnelle au nombre d’entrées du diagnostic (une surface minimale signale les leviers sans entrée).',
    cellLabel: (lever: string, sector: string, value: string) => `${lever} (${sector}) : ${value}`,
    /** `n` is already formatted (the domain's formatCoverageNumber). */
    ktValue: (n: string) => `${n} ktCO₂e`,
    entriesValue: (n: number) => count(n, 'entrée', 'entrées'),
    physicalValue: (n: string, unit: string) => `${n} ${unit}`,
    noObjective: 'pas d’objectif chiffré',
    detailsHeading: 'Détail du levier',
    detailsNone: 'Activez une case du panorama pour afficher le détail du levier ici.',
    objective: 'Objectif 2030',
    physical: 'Ordre de grandeur physique 2030',
    covered: 'Couvert (réalisé + en cours)',
    planned: 'Prévu',
    share: 'Part couverte',
    gap: 'Reste à couvrir',
    entries: 'Entrées',
    converted: (n: number) =>
      `dont ${count(n, 'entrée convertie', 'entrées converties')} en ktCO₂e depuis une valeur physique ou une masse de CO₂e`,
    values: 'Valeurs dans l’unité du levier',
    greyed: 'levier grisé par le SGPE',
    withoutObjective: 'Absents du panorama faute d’objectif 2030 positif en ktCO₂e :',
    countsSummary: (total: number, quantified: number, converted: number, unquantified: number) =>
      `Panorama atténuation : ${count(total, 'entrée', 'entrées')} du diagnostic, dont ${nf0.format(quantified)} avec un effet en ktCO₂e` +
      `${converted > 0 ? ` (${nf0.format(converted)} convertie${converted > 1 ? 's' : ''} depuis une valeur physique ou une masse de CO₂e)` : ''}` +
      ` et ${nf0.format(unquantified)} sans effet lisible en ktCO₂e (comptée${unquantified > 1 ? 's' : ''}, non mesurée${unquantified > 1 ? 's' : ''}).`,
    unmatched: (n: number) =>
      `${count(n, 'entrée du diagnostic n’est comptée', 'entrées du diagnostic ne sont comptées')} dans aucun chiffre de cette page :`,
    gapHeading: 'Écart aux objectifs',
    gapIntro:
      'Part de l’objectif 2030 couverte par les entrées du diagnostic réalisées ou en cours (barre pleine), et part prévue (barre hachurée, comptée à part). Une entrée compte pour son effet en ktCO₂e ; à défaut, pour une valeur en tCO₂e, ktCO₂e ou MtCO₂e, ou pour une valeur dans l’unité physique du levier, convertie avec le ratio du simulateur SGPE.',
    bySector: 'Par secteur',
    leversOf: (sector: string, n: number) => `${sector} — ${count(n, 'levier', 'leviers')}`,
    byLever: 'Par levier',
    legendCovered: 'Couvert : réalisé + en cours',
    legendPlanned: 'Prévu (compté à part)',
    barText: (covered: string, share: string, planned: string) => `${covered} couverts (${share}) · ${planned} prévus`,
    tableSectorsCaption: 'Objectifs 2030 et couverture par secteur (panorama atténuation)',
    tableLeversCaption: 'Objectifs 2030 et couverture par levier (panorama atténuation)',
    tableBiodiversityCaption: 'Leviers biodiversité et ressources : entrées du diagnostic',
    colSector: 'Secteur',
    total: 'Total',
  },
};
