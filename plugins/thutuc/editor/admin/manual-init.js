// Decap starts itself on load unless told otherwise: admin.js registers our YAML formats first.
window.CMS_MANUAL_INIT = true;
